// Calling the api contract in service tests as one signed-in user would: the value, or the error it must answer.
import { handleApiCall } from '../../electron/services/workstation/api.ts';
import type { Session } from '../../electron/services/workstation/workstation.ts';

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
