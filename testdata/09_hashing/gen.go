//go:build ignore

// Gen writes golden.json, the expected digests of chapter 09_hashing, computed serially
// from the definitions in the chapter's doc comments. Run it from the repository root:
//
//	go run ./testdata/09_hashing/gen.go
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log"
	"os"
)

// chunkSize is hashing.ChunkSize.
const chunkSize = 256 << 10

type chunked struct {
	Name   string `json:"name"`
	Size   int    `json:"size"`
	Digest string `json:"digest"`
}

type repeat struct {
	Name    string `json:"name"`
	Pattern string `json:"pattern"`
	N       int    `json:"n"`
	Digest  string `json:"digest"`
}

type goldens struct {
	ChunkSize int       `json:"chunk_size"`
	Data      string    `json:"data"`
	Chunked   []chunked `json:"chunked"`
	Repeats   []repeat  `json:"repeats"`
}

// data returns the chunked tests' input of size bytes: byte i is i % 251. 251 is prime,
// so no two of the first 251 chunks hold the same bytes.
func data(size int) []byte {
	cycle := make([]byte, 251)
	for i := range cycle {
		cycle[i] = byte(i)
	}
	return bytes.Repeat(cycle, size/251+1)[:size]
}

// chunkedSum is the definition of hashing.ChunkedSum, serially.
func chunkedSum(b []byte) [32]byte {
	var digests []byte
	for len(b) > 0 {
		n := min(chunkSize, len(b))
		d := sha256.Sum256(b[:n])
		digests = append(digests, d[:]...)
		b = b[n:]
	}
	return sha256.Sum256(digests)
}

func main() {
	g := goldens{ChunkSize: chunkSize, Data: "byte i of a chunked test input is i % 251"}
	for _, c := range []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"one_byte", 1},
		{"chunk_minus_1", chunkSize - 1},
		{"chunk", chunkSize},
		{"chunk_plus_1", chunkSize + 1},
		{"three_chunks", 3 * chunkSize},
		{"six_chunks", 5*chunkSize + 17},
		{"twelve_chunks", 12 * chunkSize},
	} {
		d := chunkedSum(data(c.size))
		g.Chunked = append(g.Chunked, chunked{Name: c.name, Size: c.size, Digest: hex.EncodeToString(d[:])})
	}
	for _, r := range []repeat{
		{Name: "seed", Pattern: "Bla bla", N: 100_000_000},
		{Name: "seed_tenth", Pattern: "Bla bla", N: 10_000_000},
	} {
		d := sha256.Sum256(bytes.Repeat([]byte(r.Pattern), r.N))
		r.Digest = hex.EncodeToString(d[:])
		g.Repeats = append(g.Repeats, r)
	}
	out, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/09_hashing/golden.json", append(out, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}
