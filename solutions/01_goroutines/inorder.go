package goroutines

import "sync"

// Image is a loaded image.
type Image struct {
	Name          string
	Width, Height int
}

// LoadImages calls load(name) for every name in names, all at the same time, each call in a
// goroutine of its own, and returns the images in the order of names: images[i] is
// load(names[i]), whatever order the loads finish in. It returns once every call has
// returned. load must be safe to call from several goroutines at the same time.
func LoadImages(names []string, load func(name string) Image) []Image {
	images := make([]Image, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		// Each goroutine writes only images[i]: no lock needed, and the index keeps the input order.
		wg.Go(func() { images[i] = load(name) })
	}
	// After Wait, every write to images is visible here.
	wg.Wait()
	return images
}
