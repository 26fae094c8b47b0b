// mutant: LoadImages loads the images one after another, with no goroutine; caught by TestInOrderConcurrent

package goroutines

type Image struct {
	Name          string
	Width, Height int
}

func LoadImages(names []string, load func(name string) Image) []Image {
	images := make([]Image, len(names))
	for i, name := range names {
		images[i] = load(name)
	}
	return images
}
