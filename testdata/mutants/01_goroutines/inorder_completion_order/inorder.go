// mutant: LoadImages collects the images from a channel as they arrive, so they come back in the order the loads finished, not the order of names; caught by TestInOrderResults

package goroutines

type Image struct {
	Name          string
	Width, Height int
}

func LoadImages(names []string, load func(name string) Image) []Image {
	results := make(chan Image, len(names))
	for _, name := range names {
		go func() { results <- load(name) }()
	}
	var images []Image
	for range names {
		images = append(images, <-results)
	}
	return images
}
