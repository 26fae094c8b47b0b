package coordination

import "fmt"

// ExampleLazy reads a configuration on first use, once, however often it is asked for.
func ExampleLazy() {
	config := NewLazy(func() (map[string]string, error) {
		fmt.Println("reading the configuration")
		return map[string]string{"workers": "4"}, nil
	})
	for range 3 {
		cfg, err := config.Get()
		fmt.Println("workers:", cfg["workers"], "error:", err)
	}
	// Output:
	// reading the configuration
	// workers: 4 error: <nil>
	// workers: 4 error: <nil>
	// workers: 4 error: <nil>
}
