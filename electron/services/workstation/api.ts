// Serves the api contract (core/api) over the workstation services: validate the request with zod, run the handler as
// the signed-in user, wrap the answer in the { ok, value | error } envelope. Nothing throws out of `handleApiCall`.
import { API } from '../../../core/api/contract.ts';
import type { ApiMethod, ApiParsedRequest, ApiResponse } from '../../../core/api/contract.ts';
import { apiErr, apiOk, describeIssues } from '../../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../../core/api/envelope.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import { LeadSchema } from '../../../core/routing/lead.ts';
import { StoreError } from '../store/errors.ts';
import { parseLeadCsv, parseLeadJsonLines } from '../leads/read-lead-file.ts';
import { approve, claim, decide, release, returnForRework } from './cases.ts';
import { importLeads } from './intake.ts';
import type { IntakeResult } from './intake.ts';
import { caseCounts, caseDetail, listCases, listNotifications } from './queries.ts';
import { changeOwnPassphrase, createUser, listUsers, readLead, setMarkets, setRoles } from './users.ts';
import { exportAudit, listAuditEntries } from './audit-view.ts';
import { keySlotStatus, reEnrol, rotateDatabaseKey } from './key-rotation.ts';
import { claimedCases, setActive } from './deactivation.ts';
import { dashboardSummary } from './dashboard.ts';
import { currentPolicy, previewPolicy, publishPolicy } from './policy-admin.ts';
import { decideMany } from './bulk.ts';
import { deleteView, listViews, saveView } from './views.ts';
import { refreshSession, WorkstationError } from './workstation.ts';
import type { Session } from './workstation.ts';
import { AuditLogError } from '../../../core/audit/log-engine.ts';

type Handlers = { readonly [M in ApiMethod]: (session: Session, request: ApiParsedRequest<M>) => ApiResponse<M> };

const decisionCounts = (result: IntakeResult): Record<string, number> => ({ ...result.decisions });

// A header cell as CSV writes it: quoted when it holds a comma, a quote or a line break (quotes doubled).
const csvHeaderCell = (name: string): string => (/[",\r\n]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name);

/** Renames the header row's columns (read as CSV, so quoted names with commas work); the rows are left as they are. */
const applyColumnMapping = (content: string, mapping: Record<string, string> | undefined): string => {
  if (!mapping) return content;
  const newline = content.indexOf('\n');
  const header = newline === -1 ? content : content.slice(0, newline);
  let names: string[];
  try {
    names = (parseCsv(header.replace(/\r$/, ''), { bom: true, relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    return content; // an unreadable header is reported by the lead reader, with its line
  }
  const renamed = names.map((name) => csvHeaderCell(mapping[name.trim()] ?? name)).join(',');
  return newline === -1 ? renamed : `${renamed}\n${content.slice(newline + 1)}`;
};

const handlers: Handlers = {
  'session.whoami': (session) => ({
    ...session.user,
    roles: [...session.user.roles],
    markets: [...session.user.markets],
  }),
  'leads.import': (session, request) => {
    const content =
      request.format === 'csv' ? applyColumnMapping(request.content, request.columnMapping) : request.content;
    const parsed =
      request.format === 'csv'
        ? parseLeadCsv(content, request.fileName)
        : parseLeadJsonLines(content, request.fileName);
    const records = parsed.ok ? parsed.value : [];
    const problems = parsed.ok ? [] : parsed.error;
    // In "valid" mode the good rows of a file with bad rows still land: re-read them one by one.
    const salvaged =
      !parsed.ok && request.mode === 'valid' ? salvage(content, request.format, request.fileName) : records;
    const result = importLeads(session, salvaged, problems, { sourceSystem: request.sourceSystem, mode: request.mode });
    return {
      imported: result.imported,
      duplicates: result.duplicates,
      rejected: result.rejected.map((problem) => ({
        line: problem.line,
        field: problem.field,
        message: problem.message,
      })),
      decisions: decisionCounts(result),
      casesOpened: result.casesOpened,
    };
  },
  'leads.add': (session, request) => {
    const parsed = LeadSchema.safeParse(request.lead);
    if (!parsed.success) throw new WorkstationError('invalid_input', describeIssues(parsed.error));
    const result = importLeads(session, [{ line: 1, lead: parsed.data }], [], {
      sourceSystem: request.sourceSystem,
      mode: 'all',
      source: 'form',
    });
    if (result.duplicates > 0) throw new WorkstationError('conflict', `lead ${parsed.data.id} exists already`);
    return {
      leadId: parsed.data.id,
      decisions: result.paths.map(({ decision, caseId }) => ({
        leadId: decision.leadId,
        productId: decision.productId,
        outcome: decision.outcome.kind,
        queue: decision.outcome.kind === 'refused' ? decision.outcome.queue : null,
        reason:
          decision.outcome.kind === 'refused' || decision.outcome.kind === 'held' ? decision.outcome.reason : null,
        entityId: decision.outcome.kind === 'refused' ? null : decision.outcome.entityId,
        teamId:
          decision.outcome.kind === 'assigned' || decision.outcome.kind === 'held' ? decision.outcome.teamId : null,
        repId: decision.outcome.kind === 'assigned' ? decision.outcome.repId : null,
        caseId,
      })),
    };
  },
  'leads.get': (session, request) => readLead(session, request.leadId, request.purpose),
  'cases.list': (session, request) => listCases(session, request),
  'cases.counts': (session) => caseCounts(session),
  'cases.get': (session, request) => caseDetail(session, request.caseId),
  'cases.claim': (session, request) => rowOf(session, claim(session, request.caseId).id),
  'cases.release': (session, request) => rowOf(session, release(session, request.caseId).id),
  'cases.decide': (session, request) => rowOf(session, decide(session, request.caseId, request).id),
  'cases.approve': (session, request) => rowOf(session, approve(session, request.caseId, request.reason).id),
  'cases.return': (session, request) => rowOf(session, returnForRework(session, request.caseId, request.reason).id),
  'users.list': (session) =>
    listUsers(session).map((user) => ({ ...user, roles: [...user.roles], markets: [...user.markets] })),
  'users.create': (session, request) => copyUser(createUser(session, request)),
  'users.setRoles': (session, request) => copyUser(setRoles(session, request)),
  'users.setMarkets': (session, request) => copyUser(setMarkets(session, request)),
  'users.changeOwnPassphrase': (session, request) => changeOwnPassphrase(session, request.current, request.next),
  // Database key rotation and re-enrolment (decision 0037).
  'users.keySlots': (session) => keySlotStatus(session),
  'users.rotateDatabaseKey': (session, request) => rotateDatabaseKey(session, request),
  'users.reEnrol': (session, request) => reEnrol(session, request),
  // Deactivating and reactivating a user (decision 0039).
  'users.claimedCases': (session, request) => claimedCases(session, request.userId),
  'users.setActive': (session, request) => {
    const result = setActive(session, request);
    return { ...result, user: copyUser(result.user) };
  },
  'notifications.list': (session, request) => listNotifications(session, request.limit),
  // Audit viewer, exports and dashboard.
  'audit.list': (session, request) => listAuditEntries(session, request),
  'audit.export': (session, request) => exportAudit(session, request),
  'dashboard.summary': (session) => dashboardSummary(session),
  // Licensing map and policy publication.
  'policy.current': (session) => currentPolicy(session),
  'policy.preview': (session, request) => previewPolicy(session, request),
  'policy.publish': (session, request) => publishPolicy(session, request),
  // Saved views and bulk decisions (queue screen).
  'views.list': (session) => listViews(session),
  'views.save': (session, request) => saveView(session, request),
  'views.delete': (session, request) => deleteView(session, request.id),
  'cases.decideMany': (session, request) => decideMany(session, request.items),
};

const copyUser = (user: Session['user']) => ({ ...user, roles: [...user.roles], markets: [...user.markets] });
const rowOf = (session: Session, caseId: string) => caseDetail(session, caseId).case;

const salvage = (content: string, format: 'csv' | 'jsonl', fileName: string) => {
  if (format === 'jsonl') {
    const lines = content.split('\n');
    return lines.flatMap((line, index) => {
      if (line.trim() === '') return [];
      const one = parseLeadJsonLines(line, fileName);
      return one.ok ? one.value.map((record) => ({ ...record, line: index + 1 })) : [];
    });
  }
  const newline = content.indexOf('\n');
  const header = content.slice(0, newline);
  const body = content.slice(newline + 1).split('\n');
  return body.flatMap((line, index) => {
    if (line.trim() === '') return [];
    const one = parseLeadCsv(`${header}\n${line}\n`, fileName);
    return one.ok ? one.value.map((record) => ({ ...record, line: index + 2 })) : [];
  });
};

const errorEnvelope = (error: unknown): ApiEnvelope<never> => {
  if (error instanceof WorkstationError) return apiErr(error.code, error.message);
  if (error instanceof StoreError) return apiErr(error.code, error.message);
  if (error instanceof AuditLogError) return apiErr('invalid_input', error.message);
  return apiErr('internal', error instanceof Error ? error.message : String(error));
};

/** The one entry point for every transport: validates, authorises (in the handlers), answers in the envelope. */
export const handleApiCall = (session: Session, method: string, rawRequest: unknown): ApiEnvelope<unknown> => {
  if (!Object.hasOwn(API, method))
    return apiErr('unknown_method', `no api method ${JSON.stringify(method).slice(0, 80)}`);
  const contract = API[method as ApiMethod];
  const request = contract.request.safeParse(rawRequest ?? {});
  if (!request.success) return apiErr('invalid_request', `${method}: ${describeIssues(request.error)}`);
  try {
    const current = refreshSession(session);
    const handler = handlers[method as ApiMethod] as (session: Session, request: unknown) => unknown;
    const value = handler(current, request.data);
    const checked = contract.response.safeParse(value);
    if (!checked.success)
      return apiErr('internal', `${method}: the response broke the contract: ${describeIssues(checked.error)}`);
    return apiOk(checked.data);
  } catch (error) {
    return errorEnvelope(error);
  }
};
