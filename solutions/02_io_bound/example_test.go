package iobound

import (
	"context"
	"fmt"
	"time"
)

// ExampleFetchAll fetches two short documents served from memory, then three of which one
// does not exist: the missing one's error cancels the others and comes back alone.
func ExampleFetchAll() {
	docs := map[string]string{
		"cat.txt": "Cats sleep sixteen hours a day.",
		"dog.txt": "Dogs dream, too.",
	}
	fetch := func(ctx context.Context, name string) ([]byte, error) {
		doc, ok := docs[name]
		if !ok {
			return nil, fmt.Errorf("get %s: not found", name)
		}
		timer := time.NewTimer(10 * time.Millisecond) // the network
		defer timer.Stop()
		select {
		case <-timer.C:
			return []byte(doc), nil
		case <-ctx.Done():
			return nil, fmt.Errorf("get %s: %w", name, ctx.Err())
		}
	}

	bodies, err := FetchAll(context.Background(), fetch, []string{"dog.txt", "cat.txt"})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, body := range bodies {
		fmt.Println(string(body))
	}

	bodies, err = FetchAll(context.Background(), fetch, []string{"dog.txt", "cow.txt", "cat.txt"})
	fmt.Println(len(bodies), "bodies, error:", err)
	// Output:
	// Dogs dream, too.
	// Cats sleep sixteen hours a day.
	// 0 bodies, error: get cow.txt: not found
}
