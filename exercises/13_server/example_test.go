package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ExampleServe serves one request on a free port of 127.0.0.1, then shuts down, and
// waits a few seconds at most for Serve to return.
func ExampleServe() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, hello, time.Second) }()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 3 * time.Second}
	if resp, err := client.Get("http://" + ln.Addr().String()); err != nil {
		fmt.Println(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.Status, string(body))
	}
	cancel()
	select {
	case err := <-served:
		fmt.Println("Serve returned:", err)
	case <-time.After(3 * time.Second):
		fmt.Println("Serve did not return within 3s of the cancel, with a grace period of 1s")
	}
	// Output:
	// 200 OK hello
	// Serve returned: <nil>
}
