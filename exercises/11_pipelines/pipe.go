package pipelines

import (
	"bufio"
	"fmt"
	"io"
	"net"
)

// Serve is the other end of the pipe, the child process of the seed: it reads one
// request per line from conn and writes handle(request) as one line in reply, in order,
// until the other end closes the pipe. Then it closes conn and returns nil, or the error
// that stopped it.
func Serve(conn net.Conn, handle func(string) string) error {
	defer conn.Close()
	requests := bufio.NewScanner(conn)
	for requests.Scan() {
		if _, err := fmt.Fprintln(conn, handle(requests.Text())); err != nil {
			return err
		}
	}
	return requests.Err()
}

// Exchange sends each of reqs as one line on conn, one end of a net.Pipe whose other end
// answers each request with one line, and returns the replies in the order of reqs.
// Then it closes conn, so that the other end sees the end of the requests.
//
// If the pipe closes before every reply has come, Exchange returns the replies it got
// and an error. It leaves no goroutine behind.
//
// This is the seed's parent process, translated line by line:
//
//	for r in reqs: parent.send(r)
//	replies = [parent.recv() for _ in reqs]
func Exchange(conn net.Conn, reqs []string) ([]string, error) {
	// TODO: net.Pipe has no buffer: a Write waits until the other end Reads. While this
	// loop writes request 2, the other end is writing reply 1 and waits for us to read it:
	// both ends write, nobody reads. Write the requests in a goroutine of their own while
	// this one reads the replies (or read each reply before writing the next request).
	for _, r := range reqs {
		if _, err := fmt.Fprintln(conn, r); err != nil {
			return nil, err
		}
	}
	replies := make([]string, 0, len(reqs))
	lines := bufio.NewScanner(conn)
	for len(replies) < len(reqs) && lines.Scan() {
		replies = append(replies, lines.Text())
	}
	// TODO: close conn when done, so that the other end's Scan sees the end of the
	// requests (Python's recv() raises EOFError), and make sure a goroutine writing the
	// requests has ended before returning.
	if len(replies) < len(reqs) {
		return replies, fmt.Errorf("the pipe closed after %d of %d replies: %w",
			len(replies), len(reqs), io.ErrUnexpectedEOF)
	}
	return replies, nil
}
