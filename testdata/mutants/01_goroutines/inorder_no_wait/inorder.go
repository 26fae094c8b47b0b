// mutant: LoadImages returns the slice while its goroutines are still filling it in; caught by TestInOrderResults, TestInOrderConcurrent

package goroutines

type Image struct {
	Name          string
	Width, Height int
}

func LoadImages(names []string, load func(name string) Image) []Image {
	images := make([]Image, len(names))
	for i, name := range names {
		go func() { images[i] = load(name) }()
	}
	return images
}
