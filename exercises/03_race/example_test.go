package race

import (
	"context"
	"fmt"
	"time"
)

// ExampleCountConfined counts the letters of two short documents served from memory.
func ExampleCountConfined() {
	docs := map[string]string{
		"greeting.txt": "Hello, World!",
		"reply.txt":    "HELLO to you, too. Café?",
	}
	fetch := func(ctx context.Context, name string) ([]byte, error) {
		text, ok := docs[name]
		if !ok {
			return nil, fmt.Errorf("no document %q", name)
		}
		return []byte(text), nil
	}
	var (
		table Table
		err   error
	)
	if !returns("CountConfined", func() {
		table, err = CountConfined(context.Background(), fetch, []string{"greeting.txt", "reply.txt"})
	}) {
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(table)
	fmt.Println(table.Total(), "letters")
	// Output:
	// a=1 c=1 d=1 e=2 f=1 h=2 l=5 o=7 r=1 t=2 u=1 w=1 y=1
	// 26 letters
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
