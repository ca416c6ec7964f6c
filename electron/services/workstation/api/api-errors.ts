// What the api answers for an error a service threw: its code and message for the { ok: false, error } envelope, with
// no absolute path in it: a client learns the file's name, never where on this machine it lives (decision 0126).
import { AuditLogError } from '../../../../core/audit/log-engine.ts';
import { StoreError } from '../../store/errors.ts';
import { WorkstationError } from '../session/workstation.ts';

export type ApiErrorBody = { readonly code: string; readonly message: string };

// An absolute POSIX path (/tmp/x/team.db) or Windows path (C:\Users\x\team.db, \\server\share\team.db) where a word
// starts; URLs (http://…) are left alone, as their slashes follow a colon.
const ABSOLUTE_PATH = /(^|[\s"'`(=[<])((?:[A-Za-z]:[\\/]|\\\\|\/)[^\s"'`)\]>,;]*)/g;

/** The message with every absolute path cut to its last part (the file's name). */
export const withoutPaths = (message: string): string =>
  message.replace(ABSOLUTE_PATH, (_match, before: string, path: string) => {
    const parts = path.split(/[\\/]+/).filter((part) => part !== '');
    // A lone "/" is a word, not a path. A trailing colon stays with the name ("team.db: wrong key").
    return `${before}${parts.at(-1) ?? path}`;
  });

export const apiErrorOf = (error: unknown): ApiErrorBody => {
  if (error instanceof WorkstationError) return { code: error.code, message: withoutPaths(error.message) };
  if (error instanceof StoreError) return { code: error.code, message: withoutPaths(error.message) };
  if (error instanceof AuditLogError) return { code: 'invalid_input', message: withoutPaths(error.message) };
  return { code: 'internal', message: withoutPaths(error instanceof Error ? error.message : String(error)) };
};
