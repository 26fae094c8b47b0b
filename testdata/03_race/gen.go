//go:build ignore

// Gen writes the corpus of chapter 03_race: twenty English-like documents named after
// RFC 1000 to RFC 1019 (the seed fetched the real ones over HTTP; the workbook uses no
// network) and counts.json, the letter counts the tests expect. Run it from the
// repository's root:
//
//	go run testdata/03_race/gen.go
//
// The text is generated from a seeded PRNG, so every run writes the same files. It mixes
// upper and lower case, digits, punctuation and a few non-ASCII runes (é, ü, İ, the
// KELVIN SIGN K) that must not be counted as letters.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

var words = strings.Fields(`
	the of and to a in is that for it as with be on by this are not or from at an which
	host network protocol packet address gateway message request response server client
	data field value section document internet standard specification implementation
	routing table length header option byte octet sequence number bit flag error timer
	connection transmission control datagram service user system interface layer link
	must should may shall required recommended optional defined described following
	each when if then all any other such only also more than between within without
	queue buffer window retransmission acknowledgment checksum format type code name
	experimental informational status memo distribution unlimited request comments
	zone query quickly exchange jitter vexing buzz quiz jump oxygen kayak wiki
`)

var foreign = []string{
	"café", "naïve", "résumé", "Zürich", "São Paulo", "Ångström", "İstanbul",
	"300 \u212a", "Düsseldorf", "crème brûlée", "Málaga", "Øresund",
}

var acronyms = []string{"TCP", "IP", "UDP", "ICMP", "ARPANET", "IETF", "RFC", "NIC", "DNS", "SMTP", "FTP", "OSI"}

func main() {
	dir := flag.String("dir", filepath.Join("testdata", "03_race"), "output directory")
	size := flag.Int("size", 24<<10, "approximate size of each document in bytes")
	flag.Parse()

	type counts = map[string]int
	total := counts{}
	docs := map[string]counts{}
	for n := 1000; n < 1020; n++ {
		name := fmt.Sprintf("rfc%d.txt", n)
		text := document(rand.New(rand.NewPCG(uint64(n), 0x6abe16be09364328)), n, *size)
		if err := os.WriteFile(filepath.Join(*dir, name), []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
		c := counts{}
		for i := 0; i < len(text); i++ { // bytes, not runes: é is two bytes, neither a letter
			b := text[i]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if 'a' <= b && b <= 'z' {
				c[string(b)]++
				total[string(b)]++
			}
		}
		docs[name] = c
	}
	out, err := json.MarshalIndent(struct {
		Total     counts            `json:"total"`
		Documents map[string]counts `json:"documents"`
	}{total, docs}, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, "counts.json"), append(out, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

// document returns about size bytes of text that looks like an old RFC.
func document(r *rand.Rand, number, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Network Working Group%*s\nRequest for Comments: %d%*s\n\n",
		40, "J. Postel", number, 37, "ISI")
	section := 0
	for b.Len() < size {
		section++
		heading := []string{}
		for range 1 + r.IntN(3) {
			heading = append(heading, words[r.IntN(len(words))])
		}
		fmt.Fprintf(&b, "%d. %s\n\n", section, strings.ToUpper(strings.Join(heading, " ")))
		for range 2 + r.IntN(4) {
			paragraph(r, &b, section)
		}
	}
	return b.String()
}

// paragraph writes a few sentences wrapped at 72 columns.
func paragraph(r *rand.Rand, b *strings.Builder, section int) {
	var line strings.Builder
	line.WriteString("   ")
	emit := func(w string) {
		if line.Len()+1+len(w) > 72 {
			b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
			line.Reset()
			line.WriteString("   ")
		}
		line.WriteString(w + " ")
	}
	for range 2 + r.IntN(5) {
		n := 5 + r.IntN(14)
		for i := range n {
			var w string
			switch x := r.IntN(100); {
			case x < 4:
				w = acronyms[r.IntN(len(acronyms))]
			case x < 7:
				w = fmt.Sprintf("%d.%d", section, 1+r.IntN(9))
			case x < 9:
				w = fmt.Sprint(r.IntN(65536))
			case x < 11:
				w = foreign[r.IntN(len(foreign))]
			case x < 12:
				w = fmt.Sprintf("[RFC%d]", 700+r.IntN(300))
			default:
				w = words[r.IntN(len(words))]
			}
			if i == 0 {
				r, n := utf8.DecodeRuneInString(w)
				w = string(unicode.ToUpper(r)) + w[n:]
			}
			switch x := r.IntN(40); {
			case i == n-1:
				w += []string{".", ".", ".", "?", "!", ":"}[r.IntN(6)]
			case x == 0:
				w = "(" + w + ")"
			case x == 1:
				w = `"` + w + `"`
			case x < 5:
				w += ","
			case x == 5:
				w += ";"
			}
			emit(w)
		}
	}
	b.WriteString(strings.TrimRight(line.String(), " ") + "\n\n")
}
