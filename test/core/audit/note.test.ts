// C2SP signed notes: Go's own test vector, key ids, verifier key parsing, signing and the note format's rules.
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToHex } from '../../../core/audit/bytes.ts';
import {
  formatCheckpointBody,
  parseCheckpointBody,
  parseSignedCheckpoint,
  signCheckpoint,
} from '../../../core/audit/checkpoint.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  noteVerifierKeyFromSeed,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNoteSignature,
} from '../../../core/audit/note.ts';
import { bytes, seedFrom, sha256 } from './fixtures.ts';

// From golang.org/x/mod/sumdb/note/note_test.go (BSD licence): a key, a text, and the signature Go produced.
const GO_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIGNATURE =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes', () => {
  it("reproduces Go's note signature byte for byte", () => {
    const seed = base64ToBytes(GO_SIGNER.slice('PRIVATE+KEY+PeterNeumann+c74f20a3+'.length))!.slice(1);
    expect(formatSignerKey({ name: 'PeterNeumann', seed }, sha256)).toBe(GO_SIGNER);
    expect(formatVerifierKey(noteVerifierKeyFromSeed('PeterNeumann', seed, sha256))).toBe(GO_VERIFIER);
    expect(signNote(GO_TEXT, [{ name: 'PeterNeumann', seed }], sha256)).toBe(`${GO_TEXT}\n${GO_SIGNATURE}`);
  });

  it("verifies Go's note with the parsed verifier key", () => {
    const key = parseVerifierKey(GO_VERIFIER, sha256);
    expect(key.ok).toBe(true);
    const note = parseNote(bytes(`${GO_TEXT}\n${GO_SIGNATURE}`));
    expect(note.ok).toBe(true);
    if (!key.ok || !note.ok) return;
    expect(bytesToHex(key.value.keyId)).toBe('c74f20a3');
    expect(verifyNoteSignature(note.value.text, note.value.signatures[0]!, key.value)).toBe(true);
    expect(
      verifyNoteSignature(
        note.value.text.replace('cryptography', 'Cryptography'),
        note.value.signatures[0]!,
        key.value,
      ),
    ).toBe(false);
  });

  it('rejects mangled verifier keys', () => {
    for (let i = 0; i < GO_VERIFIER.length; i++) {
      const mangled =
        GO_VERIFIER.slice(0, i) + String.fromCharCode(GO_VERIFIER.charCodeAt(i) + 1) + GO_VERIFIER.slice(i + 1);
      expect(parseVerifierKey(mangled, sha256).ok, mangled).toBe(false);
    }
    expect(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', sha256).ok).toBe(
      false,
    );
    expect(parseVerifierKey('Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', sha256).ok).toBe(
      false,
    );
  });

  it('parses notes by the format rules', () => {
    expect(parseNote(bytes(`${GO_TEXT}${GO_SIGNATURE}`)).ok).toBe(false); // no blank line
    expect(parseNote(bytes(`${GO_TEXT}\n${GO_SIGNATURE.trimEnd()}`)).ok).toBe(false); // no final newline
    expect(parseNote(bytes(`${GO_TEXT}\n- PeterNeumann x08go/ZJ==\n`)).ok).toBe(false); // not an em dash
    expect(parseNote(bytes(`a\tb\n\n${GO_SIGNATURE}`)).ok).toBe(false); // control character
    expect(parseNote(new Uint8Array([0xff, 0x0a, 0x0a])).ok).toBe(false); // not UTF-8
  });
});

describe('checkpoints', () => {
  const root = new Uint8Array(32).fill(7);
  const body = { origin: 'perimeter.test/audit/x', size: 42, root };

  it('formats and parses the C2SP body', () => {
    const text = formatCheckpointBody(body);
    expect(text).toBe('perimeter.test/audit/x\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n');
    const parsed = parseCheckpointBody(text);
    expect(parsed.ok && parsed.value.size).toBe(42);
    expect(parseCheckpointBody('o\n042\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n').ok).toBe(false);
    expect(parseCheckpointBody('o\n42\nBwcH\n').ok).toBe(false);
    expect(parseCheckpointBody('o\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\nextra\n').ok).toBe(false);
    expect(parseCheckpointBody('o\n18446744073709551615\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n').ok).toBe(
      false,
    );
  });

  it('signs with every key given, each verifiable on its own', () => {
    const seeds = [seedFrom('a'), seedFrom('b')];
    const note = signCheckpoint(
      body,
      seeds.map((seed) => ({ name: body.origin, seed })),
      sha256,
    );
    const parsed = parseSignedCheckpoint(bytes(note));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.note.signatures).toHaveLength(2);
    seeds.forEach((seed, i) =>
      expect(
        verifyNoteSignature(
          parsed.value.note.text,
          parsed.value.note.signatures[i]!,
          noteVerifierKeyFromSeed(body.origin, seed, sha256),
        ),
      ).toBe(true),
    );
  });
});
