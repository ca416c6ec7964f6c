// Reads a file the user picked as strict UTF-8 text, as the CLI does: an invalid byte is named by its line, never
// replaced with U+FFFD (a Latin-1 "Café" would otherwise be imported as "Caf\uFFFD").
import { decodeUtf8Text } from '../../../core/shared/utf8-text.ts';

export type FileText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

export const readFileText = async (file: File): Promise<FileText> => {
  const decoded = decodeUtf8Text(new Uint8Array(await file.arrayBuffer()));
  return decoded.ok
    ? { ok: true, text: decoded.value }
    : { ok: false, message: `${file.name} line ${decoded.error.line}: ${decoded.error.message}` };
};
