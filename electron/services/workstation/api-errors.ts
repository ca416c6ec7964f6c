// What the api answers for an error a service threw: its code and message for the { ok: false, error } envelope.
import { AuditLogError } from '../../../core/audit/log-engine.ts';
import { StoreError } from '../store/errors.ts';
import { WorkstationError } from './workstation.ts';

export type ApiErrorBody = { readonly code: string; readonly message: string };

export const apiErrorOf = (error: unknown): ApiErrorBody => {
  if (error instanceof WorkstationError) return { code: error.code, message: error.message };
  if (error instanceof StoreError) return { code: error.code, message: error.message };
  if (error instanceof AuditLogError) return { code: 'invalid_input', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
};
