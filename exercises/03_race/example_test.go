package race

import (
	"context"
	"fmt"
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
	table, err := CountConfined(context.Background(), fetch, []string{"greeting.txt", "reply.txt"})
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
