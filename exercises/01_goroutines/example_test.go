package goroutines

import "fmt"

// ExampleLoadImages loads three images at once; they come back in the order of the
// names.
func ExampleLoadImages() {
	sizes := map[string][2]int{"cat.png": {640, 480}, "dog.png": {800, 600}, "owl.png": {320, 240}}
	load := func(name string) Image {
		s := sizes[name]
		return Image{Name: name, Width: s[0], Height: s[1]}
	}
	for _, img := range LoadImages([]string{"owl.png", "cat.png", "dog.png"}, load) {
		fmt.Printf("%s %dx%d\n", img.Name, img.Width, img.Height)
	}
	// Output:
	// owl.png 320x240
	// cat.png 640x480
	// dog.png 800x600
}

// ExampleStart runs a function in a goroutine of its own and waits for it, as Python's
// Thread(target=f, name="loader-1").start() and join() do.
func ExampleStart() {
	var size int
	task := Start("loader-1", func() { size = len("a picture of a cat") })
	task.Join() // after Join, what f did is visible here
	fmt.Println(task.Name(), "alive:", task.IsAlive(), "size:", size)
	// Output:
	// loader-1 alive: false size: 18
}
