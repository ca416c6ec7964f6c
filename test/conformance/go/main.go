// Command conformance checks Perimeter's checkpoints and proofs with Go's reference implementation
// (golang.org/x/mod/sumdb/note and sumdb/tlog). It reads a JSON request on stdin and writes results on stdout.
//
// Build offline against Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o conformance main.go
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	VerifierKeys []string           `json:"verifierKeys"`
	Checkpoints  []string           `json:"checkpoints"`
	Proofs       []string           `json:"proofs"`
	Consistency  []consistencyProof `json:"consistency"`
	SignerKey    string             `json:"signerKey"`
	SignText     string             `json:"signText"`
}

type consistencyProof struct {
	OldSize int64    `json:"oldSize"`
	OldRoot string   `json:"oldRoot"`
	NewSize int64    `json:"newSize"`
	NewRoot string   `json:"newRoot"`
	Proof   []string `json:"proof"`
}

type result struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Size  int64  `json:"size,omitempty"`
	Root  string `json:"root,omitempty"`
	Sigs  int    `json:"signatures,omitempty"`
}

type response struct {
	Checkpoints []result `json:"checkpoints"`
	Proofs      []result `json:"proofs"`
	Consistency []result `json:"consistency"`
	Signed      string   `json:"signed,omitempty"`
}

// parseCheckpoint opens a signed checkpoint with the known keys and reads its C2SP body.
func parseCheckpoint(msg []byte, verifiers note.Verifiers) (origin string, size int64, root tlog.Hash, sigs int, err error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return "", 0, root, 0, err
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 3 {
		return "", 0, root, 0, fmt.Errorf("checkpoint body has %d lines", len(lines))
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return "", 0, root, 0, fmt.Errorf("bad tree size %q", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return "", 0, root, 0, fmt.Errorf("bad root hash %q", lines[2])
	}
	copy(root[:], raw)
	return lines[0], size, root, len(n.Sigs), nil
}

// checkTlogProof verifies a C2SP tlog-proof whose extra line carries the entry bytes.
func checkTlogProof(text []byte, verifiers note.Verifiers) result {
	split := bytes.Index(text, []byte("\n\n"))
	if split < 0 {
		return result{Error: "no blank line"}
	}
	lines := strings.Split(string(text[:split]), "\n")
	if lines[0] != "c2sp.org/tlog-proof@v1" {
		return result{Error: "bad header"}
	}
	at := 1
	var entry []byte
	if strings.HasPrefix(lines[at], "extra ") {
		var err error
		entry, err = base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[at], "extra "))
		if err != nil {
			return result{Error: "bad extra"}
		}
		at++
	}
	if !strings.HasPrefix(lines[at], "index ") {
		return result{Error: "no index line"}
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[at], "index "), 10, 64)
	if err != nil {
		return result{Error: "bad index"}
	}
	var proof tlog.RecordProof
	for _, line := range lines[at+1:] {
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) != tlog.HashSize {
			return result{Error: "bad proof hash"}
		}
		var h tlog.Hash
		copy(h[:], raw)
		proof = append(proof, h)
	}
	_, size, root, sigs, err := parseCheckpoint(text[split+2:], verifiers)
	if err != nil {
		return result{Error: "checkpoint: " + err.Error()}
	}
	// tlog.RecordHash is SHA-256(0x00 ‖ data): the RFC 6962 leaf hash.
	if err := tlog.CheckRecord(proof, size, root, index, tlog.RecordHash(entry)); err != nil {
		return result{Error: err.Error(), Size: size}
	}
	return result{OK: true, Size: size, Root: root.String(), Sigs: sigs}
}

func decodeHash(text string) (tlog.Hash, error) {
	var h tlog.Hash
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != tlog.HashSize {
		return h, errors.New("bad hash")
	}
	copy(h[:], raw)
	return h, nil
}

func checkConsistency(c consistencyProof) result {
	oldRoot, err1 := decodeHash(c.OldRoot)
	newRoot, err2 := decodeHash(c.NewRoot)
	if err1 != nil || err2 != nil {
		return result{Error: "bad root"}
	}
	var proof tlog.TreeProof
	for _, text := range c.Proof {
		h, err := decodeHash(text)
		if err != nil {
			return result{Error: "bad proof hash"}
		}
		proof = append(proof, h)
	}
	if err := tlog.CheckTree(proof, c.NewSize, newRoot, c.OldSize, oldRoot); err != nil {
		return result{Error: err.Error()}
	}
	return result{OK: true}
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "bad request:", err)
		os.Exit(2)
	}
	var list []note.Verifier
	for _, key := range req.VerifierKeys {
		v, err := note.NewVerifier(key)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad verifier key:", key, err)
			os.Exit(2)
		}
		list = append(list, v)
	}
	verifiers := note.VerifierList(list...)
	var resp response
	for _, cp := range req.Checkpoints {
		_, size, root, sigs, err := parseCheckpoint([]byte(cp), verifiers)
		if err != nil {
			resp.Checkpoints = append(resp.Checkpoints, result{Error: err.Error()})
			continue
		}
		resp.Checkpoints = append(resp.Checkpoints, result{OK: true, Size: size, Root: root.String(), Sigs: sigs})
	}
	for _, proof := range req.Proofs {
		resp.Proofs = append(resp.Proofs, checkTlogProof([]byte(proof), verifiers))
	}
	for _, c := range req.Consistency {
		resp.Consistency = append(resp.Consistency, checkConsistency(c))
	}
	// Go signs a text with a signer key, so the TypeScript side can check it reads Go's notes too.
	if req.SignerKey != "" {
		signer, err := note.NewSigner(req.SignerKey)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad signer key:", err)
			os.Exit(2)
		}
		msg, err := note.Sign(&note.Note{Text: req.SignText}, signer)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sign:", err)
			os.Exit(2)
		}
		resp.Signed = string(msg)
	}
	if err := json.NewEncoder(os.Stdout).Encode(resp); err != nil {
		os.Exit(2)
	}
}
