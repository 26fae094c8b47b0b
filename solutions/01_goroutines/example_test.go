package goroutines

import (
	"fmt"
	"time"
)

// ExampleLoadImages loads three images at the same time; they come back in the order
// of the names.
func ExampleLoadImages() {
	sizes := map[string][2]int{"cat.png": {640, 480}, "dog.png": {800, 600}, "owl.png": {320, 240}}
	load := func(name string) Image {
		s := sizes[name]
		return Image{Name: name, Width: s[0], Height: s[1]}
	}
	names := []string{"owl.png", "cat.png", "dog.png"}
	var images []Image
	if !returns("LoadImages", func() { images = LoadImages(names, load) }) {
		return
	}
	for _, img := range images {
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
	if !returns("task.Join()", task.Join) {
		return
	}
	// After Join, what f did is visible here.
	fmt.Println(task.Name(), "alive:", task.IsAlive(), "size:", size)
	// Output:
	// loader-1 alive: false size: 18
}

// exampleLimit is the real time an example waits for a call. Examples run outside the
// tests' guard: a call that never returns must fail its example, not hang the run.
const exampleLimit = 5 * time.Second

// returns calls f and reports whether it returned within exampleLimit. If it did not, it
// prints a line saying so, which fails the example's // Output: check, and leaves f
// running.
func returns(what string, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(exampleLimit):
		fmt.Printf("%s did not return within %v: it is stuck (the exercise's tests show where)\n", what, exampleLimit)
		return false
	}
}
