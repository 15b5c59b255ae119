// Command mittwald-regexp decides which namespaces a replicate-to value reaches the way
// mittwald/kubernetes-replicator v2.12.4 does, for the library's conformance test (test tooling, not product).
//
// Input on stdin: {"values": [...], "namespaces": [...]}. For each value: split on ",", strings.TrimSpace each
// entry; when copying, "^" + entry + "$" (each only if missing) compiled with regexp, entries that do not compile are
// skipped; when the source is deleted, the trimmed entry is matched unanchored. Output on stdout, one object per
// value: the entries that do not compile and two strings of 0/1, one character per namespace.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

type input struct {
	Values     []string `json:"values"`
	Namespaces []string `json:"namespaces"`
}

type decision struct {
	Invalid []string `json:"invalid"`
	Create  string   `json:"create"`
	Delete  string   `json:"delete"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	out := make([]decision, len(in.Values))
	for i, value := range in.Values {
		out[i] = decide(value, in.Namespaces)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "cannot write output:", err)
		os.Exit(2)
	}
}

func decide(value string, namespaces []string) decision {
	d := decision{Invalid: []string{}}
	var onCreate, onDelete []*regexp.Regexp
	for _, raw := range strings.Split(value, ",") {
		entry := strings.TrimSpace(raw)
		anchored := entry
		if !strings.HasPrefix(anchored, "^") {
			anchored = "^" + anchored
		}
		if !strings.HasSuffix(anchored, "$") {
			anchored += "$"
		}
		if re, err := compile(anchored); err == nil {
			onCreate = append(onCreate, re)
		} else {
			d.Invalid = append(d.Invalid, entry)
		}
		if re, err := compile(entry); err == nil {
			onDelete = append(onDelete, re)
		}
	}
	d.Create = matches(onCreate, namespaces)
	d.Delete = matches(onDelete, namespaces)
	return d
}

func matches(patterns []*regexp.Regexp, namespaces []string) string {
	var b strings.Builder
	for _, namespace := range namespaces {
		hit := "0"
		for _, re := range patterns {
			if re.MatchString(namespace) {
				hit = "1"
				break
			}
		}
		b.WriteString(hit)
	}
	return b.String()
}

// compile is regexp.Compile as in Go 1.24, which mittwald v2.12.4 is built with. The one difference to older Go
// (Debian's 1.19) that matters here: "(?<name>" groups are valid since Go 1.22; older Go only knows "(?P<name>", so
// they are rewritten to that spelling there.
func compile(pattern string) (*regexp.Regexp, error) {
	if !namedGroupsSupported() {
		pattern = spellNamedGroupsOldStyle(pattern)
	}
	return regexp.Compile(pattern)
}

func namedGroupsSupported() bool {
	version := strings.TrimPrefix(runtime.Version(), "go")
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return true // a development build: assume current
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	return major > 1 || minor >= 22
}

// spellNamedGroupsOldStyle turns "(?<name>" into "(?P<name>" outside escapes, \Q…\E and character classes.
func spellNamedGroupsOldStyle(pattern string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern) && pattern[i+1] == 'Q':
			end := strings.Index(pattern[i+2:], `\E`)
			if end < 0 {
				b.WriteString(pattern[i:])
				return b.String()
			}
			b.WriteString(pattern[i : i+2+end+2])
			i += 2 + end + 1
		case c == '\\' && i+1 < len(pattern):
			b.WriteString(pattern[i : i+2])
			i++
		case inClass:
			b.WriteByte(c)
			inClass = c != ']'
		case c == '[':
			b.WriteByte(c)
			inClass = true
			// A "]" right after "[" or "[^" is a literal member.
			if strings.HasPrefix(pattern[i+1:], "^]") {
				b.WriteString("^]")
				i += 2
			} else if strings.HasPrefix(pattern[i+1:], "]") {
				b.WriteByte(']')
				i++
			}
		case strings.HasPrefix(pattern[i:], "(?<") && i+3 < len(pattern) && isWordByte(pattern[i+3]):
			b.WriteString("(?P<")
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
