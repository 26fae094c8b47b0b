// mutant: Exchange closes its end and returns without waiting for the goroutine that writes the requests, which lives on after the call until its Write fails; caught by TestPipeWriterEnds

package pipelines

import (
	"bufio"
	"cmp"
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
func Exchange(conn net.Conn, reqs []string) ([]string, error) {
	// net.Pipe has no buffer: requests go out from a goroutine while this one reads replies.
	go func() { // ends by itself: every request written, or a Write failed after conn.Close
		w := bufio.NewWriter(conn)
		for _, r := range reqs {
			if _, err := fmt.Fprintln(w, r); err != nil {
				return
			}
		}
		w.Flush()
	}()

	replies := make([]string, 0, len(reqs))
	lines := bufio.NewScanner(conn)
	for len(replies) < len(reqs) && lines.Scan() {
		replies = append(replies, lines.Text())
	}
	// Closing tells the other end we are done, and ends a Write still waiting for it.
	conn.Close()
	if len(replies) < len(reqs) {
		return replies, fmt.Errorf("the pipe closed after %d of %d replies: %w",
			len(replies), len(reqs), cmp.Or(lines.Err(), io.ErrUnexpectedEOF))
	}
	return replies, nil
}
