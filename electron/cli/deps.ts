// The workstation deps every `perimeter` command runs with: the clock, and how long a write waits for another
// process's write lock (PERIMETER_LOCK_TIMEOUT_MS, default WRITE_LOCK_TIMEOUT_MS; decision 0125).
import * as z from 'zod';
import { WRITE_LOCK_TIMEOUT_MS } from '../services/store/write-lock.ts';
import type { WorkstationDeps } from '../services/workstation/session/workstation.ts';
import { CliError, EXIT_UNUSABLE } from './exit.ts';

export const LOCK_TIMEOUT_VARIABLE = 'PERIMETER_LOCK_TIMEOUT_MS';

const LockTimeout = z.coerce.number().int().min(0).max(600_000);

export const cliWorkstationDeps = (): WorkstationDeps => {
  const raw = process.env[LOCK_TIMEOUT_VARIABLE];
  if (raw === undefined || raw.trim() === '') return { now: () => new Date() };
  const parsed = LockTimeout.safeParse(raw);
  if (!parsed.success)
    throw new CliError(
      `${LOCK_TIMEOUT_VARIABLE}: "${raw.slice(0, 20)}" is not a whole number of milliseconds from 0 to 600000 (default ${WRITE_LOCK_TIMEOUT_MS})`,
      EXIT_UNUSABLE,
    );
  return { now: () => new Date(), lockTimeoutMs: parsed.data };
};
