package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ExampleServe serves one request on a free port of 127.0.0.1, then shuts down.
func ExampleServe() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, hello, 5*time.Second) }()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	if resp, err := client.Get("http://" + ln.Addr().String()); err != nil {
		fmt.Println(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.Status, string(body))
	}
	cancel()
	fmt.Println("Serve returned:", <-served)
	// Output:
	// 200 OK hello
	// Serve returned: <nil>
}
