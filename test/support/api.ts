// Calling the api contract in service tests as one signed-in user would: the value, or the error it must answer.
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';

/** The method's value; a failed call fails the test with its code and message. */
export const call = <T = Record<string, unknown>>(session: Session, method: string, request: unknown): T => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
};

/** The error the method answers; a call that succeeds fails the test. */
export const callError = (session: Session, method: string, request: unknown): { code: string; message: string } => {
  const reply = handleApiCall(session, method, request);
  if (reply.ok) throw new Error(`${method} should have failed`);
  return reply.error;
};

/** How many entries the workstation's audit log holds. */
export const entryCount = (session: Session): number =>
  (session.workstation.db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;

/** The refusals the door logged (access.denied), oldest first: actor, action, reason and subjects. */
export const refusalsLogged = (
  session: Session,
): { actor: string; action: string; reason: string; subjects: string[] }[] =>
  (
    session.workstation.db
      .prepare("SELECT canonical FROM audit_entries WHERE type = 'access.denied' ORDER BY sequence")
      .all() as { canonical: Buffer }[]
  ).map((row) => {
    const entry = JSON.parse(row.canonical.toString('utf8')) as {
      actor: string;
      subjects: string[];
      payload: { action: string; reason: string };
    };
    return { actor: entry.actor, action: entry.payload.action, reason: entry.payload.reason, subjects: entry.subjects };
  });

/** How many entries the log holds apart from the door's refusals (which a refused call appends on purpose). */
export const entryCountApartFromRefusals = (session: Session): number =>
  (
    session.workstation.db.prepare("SELECT count(*) AS n FROM audit_entries WHERE type <> 'access.denied'").get() as {
      n: number;
    }
  ).n;
