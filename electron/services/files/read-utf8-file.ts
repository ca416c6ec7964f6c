// Reads a text file users hand us (leads, policies) as strict UTF-8: an invalid byte is refused with its line, never
// replaced with U+FFFD (a Latin-1 "Café" would otherwise be screened and routed as "Caf\uFFFD").
import { readFile } from 'node:fs/promises';
import { decodeUtf8Text } from '../../../core/shared/utf8-text.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';

export type TextFileProblem =
  /** The file could not be read at all (missing, a folder, no permission). */
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string }
  /** It was read and is not UTF-8: the line and byte of the first invalid byte. */
  | {
      readonly kind: 'not-utf8';
      readonly file: string;
      readonly line: number;
      readonly column: number;
      readonly message: string;
    };

/** The file's text (a leading byte order mark dropped), or why there is none. */
export const readUtf8File = async (file: string): Promise<Result<string, TextFileProblem>> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return err({
      kind: 'unreadable',
      file,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  const text = decodeUtf8Text(bytes);
  return text.ok
    ? ok(text.value)
    : err({ kind: 'not-utf8', file, line: text.error.line, column: text.error.column, message: text.error.message });
};
