package goroutines

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
	// TODO: start a goroutine per name that puts its image where it belongs in the
	// result, and wait for them all before returning it.
	return nil
}
