// Reading import files: bytes, their SHA-256, and text decoding that refuses what is not UTF-8 (or declared Latin-1).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceFile } from '../../../core/screening/model.ts';
import { reject } from './rejection.ts';

export type InputFile = {
  readonly path: string;
  /** The file's base name, as rejections and the version record name it. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
};

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a file to import. A missing or unreadable file is the caller's problem (exit 2), not a rejection. */
export const readInputFile = async (path: string): Promise<InputFile> => {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const bytes = new Uint8Array(await readFile(path));
  return { path, name: basename(path), bytes, sha256: sha256Hex(bytes) };
};

export const inputFileFromBytes = (name: string, bytes: Uint8Array): InputFile => ({
  path: name,
  name,
  bytes,
  sha256: sha256Hex(bytes),
});

export const describeSourceFile = (file: InputFile): SourceFile => ({
  name: file.name,
  bytes: file.bytes.byteLength,
  sha256: file.sha256,
});

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes UTF-8 strictly (a byte sequence that is not UTF-8 is a rejection naming its line) and drops the DOS
 * end-of-file mark (Ctrl-Z) that OFAC's legacy files end with.
 */
export const decodeText = (file: InputFile): string => {
  let text: string;
  try {
    text = utf8.decode(file.bytes);
  } catch {
    const bad = firstInvalidUtf8Line(file.bytes);
    return reject(file.name, bad, 'not valid UTF-8 text');
  }
  return withoutEndOfFileMark(text);
};

const END_OF_FILE = '\u001a';

// OFAC's legacy files end with a DOS end-of-file mark (Ctrl-Z), sometimes followed by a line break.
const withoutEndOfFileMark = (text: string): string => {
  const mark = text.lastIndexOf(END_OF_FILE);
  return mark >= 0 && text.slice(mark + 1).trim() === '' ? text.slice(0, mark) : text;
};

const firstInvalidUtf8Line = (bytes: Uint8Array): number => {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i += 1) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line += 1;
      start = i + 1;
    }
  }
  return line;
};

/** The 1-based line at a character offset. */
export const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
};
