// Serves the api contract (core/api) over the workstation services: validate the request with zod, run the handler as
// the signed-in user, wrap the answer in the { ok, value | error } envelope. Nothing throws out of `handleApiCall`.
import { decisionRowOf } from '../../../../core/routing/decision-row.ts';
import { API } from '../../../../core/api/contract.ts';
import type { ApiMethod, ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { apiErr, apiOk, describeIssues } from '../../../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../../../core/api/envelope.ts';
import { parseLeadRecord } from '../../../../core/routing/lead.ts';
import { firstTextFlaw } from '../../../../core/shared/text-flaws.ts';
import { approve, claim, decide, release, returnForRework } from '../commands/cases.ts';
import { importLeads } from '../commands/intake.ts';
import { entryPersonalData } from '../queries/audit-personal-data.ts';
import { importResultOf, readLeadImport } from '../commands/lead-import.ts';
import { cancelImportJob, importJobStatus, startImportJob } from '../commands/import-jobs.ts';
import { apiErrorOf } from './api-errors.ts';
import { caseCounts, caseDetail, findLeads, listCases, listNotifications } from '../queries/queries.ts';
import { changeOwnPassphrase, createUser, listUsers, readLead, setMarkets, setRoles } from '../commands/users.ts';
import { exportAudit, listAuditEntries } from '../queries/audit-view.ts';
import { keySlotStatus, reEnrol, rotateDatabaseKey } from '../commands/key-rotation.ts';
import { claimedCases, setActive } from '../commands/deactivation.ts';
import { dashboardSummary } from '../queries/dashboard.ts';
import { currentPolicy, previewPolicy, publishPolicy } from '../commands/policy-admin.ts';
import { decideMany } from '../commands/bulk.ts';
import { screeningHits } from '../queries/screening-hits.ts';
import { allowList } from '../queries/allow-list.ts';
import { removeFromAllowList } from '../commands/allow-list.ts';
import {
  activateListUpdate,
  cancelRescreen,
  listsOverview,
  previewListUpdate,
  rescreenStatus,
  resumeRescreen,
} from '../commands/list-updates.ts';
import {
  approveErasureOverride,
  eraseLead,
  erasureStatus,
  retentionReport,
  runRetention,
} from '../commands/erasure.ts';
import { approveRequest, listApprovals, rejectRequest } from '../commands/approvals.ts';
import type { Pending } from '../commands/duties.ts';
import { deleteView, listViews, saveView } from '../queries/views.ts';
import { commandPath, reassignCandidates } from '../commands/lifecycle.ts';
import type { LifecycleResult } from '../commands/lifecycle.ts';
import { updateLeadFacts } from '../commands/lead-facts.ts';
import { dueSoonList, gateDto, heldAndWaiting, myLeads, pathDetail, planWarningDto } from '../queries/lifecycle.ts';
import { planContact } from '../commands/contact-plans.ts';
import { refreshSession, WorkstationError } from '../session/workstation.ts';
import { denialOf, recordAccessDenied } from '../session/access.ts';
import type { Session } from '../session/workstation.ts';
import { listKycOutbox, retryKycDeadLetter } from '../commands/kyc-outbox.ts';
import { startEnrolment, startSyncNow, syncStatus } from '../commands/sync.ts';
import {
  distributionStatus,
  pinKeyAndStatus,
  startDistributionCheck,
  startDistributionFetch,
} from '../commands/distribution-runs.ts';
import { loadSyncConflict, resolveSyncConflict } from '../commands/sync-conflicts.ts';
import type { SyncConflict } from '../commands/sync-conflicts.ts';
import { deviceRoster, startDeviceDecision } from '../commands/sync-devices.ts';

type Handlers = { readonly [M in ApiMethod]: (session: Session, request: ApiParsedRequest<M>) => ApiResponse<M> };

const handlers: Handlers = {
  'session.whoami': (session) => ({
    ...session.user,
    roles: [...session.user.roles],
    markets: [...session.user.markets],
  }),
  'leads.import': (session, request) => {
    const { records, problems } = readLeadImport(request);
    return importResultOf(
      importLeads(session, records, problems, { sourceSystem: request.sourceSystem, mode: request.mode }),
    );
  },
  // Lead imports as background jobs with progress (decision 0048).
  'leads.startImport': (session, request) => startImportJob(session, request),
  'leads.importStatus': (session, request) => importJobStatus(session, request.jobId),
  'leads.cancelImport': (session, request) => cancelImportJob(session, request.jobId),
  'leads.add': (session, request) => {
    const parsed = parseLeadRecord(request.lead);
    if (!parsed.ok)
      throw new WorkstationError(
        'invalid_input',
        parsed.error
          .slice(0, 5)
          .map((issue) => `${issue.path.map(String).join('.') || '(lead)'}: ${issue.message}`)
          .join('; '),
      );
    const lead = parsed.value;
    const result = importLeads(session, [{ line: 1, lead }], [], {
      sourceSystem: request.sourceSystem,
      mode: 'all',
      source: 'form',
    });
    const ingested = result.leads[0];
    if (!ingested) throw new WorkstationError('conflict', `lead ${lead.id} exists already`);
    return {
      leadId: ingested.leadId,
      sourceId: ingested.sourceId,
      decisions: result.paths.map(({ decision, caseId }) => {
        const { licenceId: _licence, ...row } = decisionRowOf(decision);
        return { ...row, caseId };
      }),
    };
  },
  'leads.find': (session, request) => findLeads(session, request.id),
  'leads.get': (session, request) => readLead(session, request.leadId, request.purpose),
  // Erasure and retention (decision 0150).
  'leads.erase': (session, request) => eraseLead(session, request),
  'leads.erasureStatus': (session, request) => erasureStatus(session, request.leadId),
  'leads.approveErasureOverride': (session, request) => approveErasureOverride(session, request),
  'retention.report': (session) => retentionReport(session),
  'retention.run': (session) => runRetention(session),
  'cases.list': (session, request) => listCases(session, request),
  'cases.counts': (session) => caseCounts(session),
  'cases.get': (session, request) => caseDetail(session, request.caseId),
  'cases.claim': (session, request) => rowOf(session, claim(session, request.caseId).id),
  'cases.release': (session, request) => rowOf(session, release(session, request.caseId).id),
  'cases.decide': (session, request) => rowOf(session, decide(session, request.caseId, request).id),
  'cases.approve': (session, request) => rowOf(session, approve(session, request.caseId, request.reason).id),
  'cases.return': (session, request) => rowOf(session, returnForRework(session, request.caseId, request.reason).id),
  'cases.screeningHits': (session, request) => screeningHits(session, request.caseId),
  // Sync conflicts (decisions 0244, 0266-0268).
  'cases.conflict': (session, request) => conflictDto(loadSyncConflict(session, request.conflictId)),
  'cases.resolveConflict': (session, request) =>
    conflictDto(resolveSyncConflict(session, request.conflictId, { chosen: request.chosen, reason: request.reason })),
  'users.list': (session) =>
    listUsers(session).map((user) => ({ ...user, roles: [...user.roles], markets: [...user.markets] })),
  // Applied at once, or pending a second operations admin's approval where the policy says so (decision 0161).
  'users.create': (session, request) => copyOrPending(createUser(session, request)),
  'users.setRoles': (session, request) => copyOrPending(setRoles(session, request)),
  'users.setMarkets': (session, request) => copyOrPending(setMarkets(session, request)),
  'users.changeOwnPassphrase': (session, request) => changeOwnPassphrase(session, request.current, request.next),
  // Database key rotation and re-enrolment (decision 0037).
  'users.keySlots': (session) => keySlotStatus(session),
  'users.rotateDatabaseKey': (session, request) => rotateDatabaseKey(session, request),
  'users.reEnrol': (session, request) => reEnrol(session, request),
  // Deactivating and reactivating a user (decision 0039).
  'users.claimedCases': (session, request) => claimedCases(session, request.userId),
  'users.setActive': (session, request) => {
    const result = setActive(session, request);
    return 'pending' in result ? result : { ...result, user: copyUser(result.user) };
  },
  'approvals.list': (session, request) => listApprovals(session, request),
  'approvals.approve': (session, request) => approveRequest(session, request.requestId),
  'approvals.reject': (session, request) => rejectRequest(session, request.requestId, request.reason),
  'notifications.list': (session, request) => listNotifications(session, request.limit),
  // Audit viewer, exports and dashboard.
  'audit.list': (session, request) => listAuditEntries(session, request),
  'audit.personalData': (session, request) => entryPersonalData(session, request),
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
  // Ongoing monitoring: list updates, re-screening runs, the allow-list (decisions 0193–0195).
  'lists.overview': (session) => listsOverview(session),
  'lists.preview': (session, request) => previewListUpdate(session, request),
  'lists.activate': (session, request) => activateListUpdate(session, request),
  'lists.rescreenStatus': (session, request) => rescreenStatus(session, request.runId),
  'lists.cancelRescreen': (session, request) => cancelRescreen(session, request.runId),
  'lists.resumeRescreen': (session, request) => resumeRescreen(session, request.runId),
  'screening.allowList': (session) => allowList(session),
  'screening.removeFromAllowList': (session, request) => removeFromAllowList(session, request, request.reason),
  // The product-path lifecycle under conduct rules (issue 14; decisions 0200-0205).
  'paths.mine': (session, request) => myLeads(session, request),
  'paths.dueSoon': (session, request) => ({
    items: dueSoonList(session, request).items.map((item) => ({ ...item, rule: item.rule.id })),
  }),
  'paths.heldAndWaiting': (session, request) => heldAndWaiting(session, request),
  'paths.get': (session, request) => pathDetail(session, request),
  'paths.transition': (session, { leadId, productId, ...rest }) =>
    lifecycleDto(
      commandPath(
        session,
        { leadId, productId },
        rest.action === 'advance'
          ? { kind: 'advance', to: rest.to }
          : rest.action === 'win'
            ? { kind: 'win' }
            : ({ kind: rest.action, reason: rest.reason } as never),
      ),
    ),
  'paths.recordOutreach': (session, { leadId, productId, ...outreach }) =>
    lifecycleDto(commandPath(session, { leadId, productId }, { kind: 'record_outreach', ...outreach } as never)),
  'paths.completeChecklistItem': (session, { leadId, productId, item }) =>
    lifecycleDto(commandPath(session, { leadId, productId }, { kind: 'complete_checklist_item', item })),
  'paths.reassign': (session, { leadId, productId, to }) =>
    lifecycleDto(commandPath(session, { leadId, productId }, { kind: 'reassign', to })),
  'paths.reassignCandidates': (session, ref) => {
    const { owner, candidates } = reassignCandidates(session, ref);
    return {
      owner,
      candidates: candidates.map((candidate) => ({ ...candidate, whyNot: [...candidate.whyNot] })),
    };
  },
  'paths.planContact': (session, { leadId, productId, plan }) => {
    const result = planContact(session, { leadId, productId }, plan);
    return { ...result, plan: result.plan && { ...result.plan }, warnings: result.warnings.map(planWarningDto) };
  },
  'leads.updateFacts': (session, request) => {
    const result = updateLeadFacts(session, request);
    return {
      ...result,
      changed: [...result.changed],
      paths: result.paths.map((path) => ({ ...path })),
      rerouted: result.rerouted.map((path) => ({ ...path })),
    };
  },
  // The KYC outbox view and the retry of a dead letter (decision 0210).
  'kyc.outbox': (session, request) => listKycOutbox(session, request),
  'kyc.retry': (session, request) => retryKycDeadLetter(session, request.eventId),
  // Sync with the regional hub (issue 15; decisions 0258-0259): enrolment and sync run in the background.
  'sync.status': (session) => syncStatus(session),
  'sync.enrol': (session, request) => startEnrolment(session, request),
  'sync.now': (session) => startSyncNow(session),
  // Signed distribution (decisions 0253-0255, 0276): check and fetch run in the background like sync.now.
  'distribution.status': (session) => distributionStatus(session),
  'distribution.check': (session) => startDistributionCheck(session),
  'distribution.fetch': (session) => startDistributionFetch(session),
  'distribution.pinKey': (session, request) => pinKeyAndStatus(session, request),
  // The region's devices, from an operations device (decision 0273): in the background, the roster follows.
  'sync.devices': (session, request) => deviceRoster(session, request),
  'sync.approveDevice': (session, request) =>
    startDeviceDecision(session, {
      deviceId: request.deviceId,
      decision: 'approve',
      ...(request.markets === undefined ? {} : { markets: request.markets }),
    }),
  'sync.revokeDevice': (session, request) =>
    startDeviceDecision(session, { deviceId: request.deviceId, decision: 'revoke' }),
};

const lifecycleDto = (result: LifecycleResult) =>
  result.ok
    ? { ...result, sequences: [...result.sequences], rerouted: result.rerouted.map((path) => ({ ...path })) }
    : {
        ...result,
        refusal: {
          rule: {
            id: result.refusal.rule.id,
            citation: result.refusal.rule.citation,
            source: result.refusal.rule.source,
          },
          gate: result.refusal.gate,
          message: result.refusal.message,
          unblock: {
            kind: result.refusal.unblock.kind,
            at: result.refusal.unblock.kind === 'wait_until' ? result.refusal.unblock.at : null,
            text: result.refusal.unblock.text,
          },
          gates: result.refusal.gates.map(gateDto),
        },
      };

const copyUser = (user: Session['user']) => ({ ...user, roles: [...user.roles], markets: [...user.markets] });
const copyOrPending = (result: Session['user'] | Pending) => ('pending' in result ? result : copyUser(result));
const rowOf = (session: Session, caseId: string) => caseDetail(session, caseId).case;

const errorEnvelope = (error: unknown): ApiEnvelope<never> => {
  const { code, message } = apiErrorOf(error);
  return apiErr(code, message);
};

/** The one entry point for every transport: validates, authorises (in the handlers), answers in the envelope. */
export const handleApiCall = (session: Session, method: string, rawRequest: unknown): ApiEnvelope<unknown> => {
  if (!Object.hasOwn(API, method))
    return apiErr('unknown_method', `no api method ${JSON.stringify(method).slice(0, 80)}`);
  const contract = API[method as ApiMethod];
  // No request may carry a lone surrogate: the audit log cannot encode one (RFC 8785), so refuse it here, by field.
  const flaw = firstTextFlaw(rawRequest, { controls: false });
  if (flaw) return apiErr('invalid_request', `${method}: ${flaw.path.join('.') || '(request)'}: ${flaw.message}`);
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
    // A refusal of the door is logged after the refused command rolled back (decision 0130).
    const denial = denialOf(error);
    if (denial !== null) recordAccessDenied(session, method, denial);
    return errorEnvelope(error);
  }
};

/** A sync conflict as the api answers it: plain copies of its lists. */
const conflictDto = (conflict: SyncConflict) => ({
  ...conflict,
  chosen: conflict.chosen && { ...conflict.chosen },
  decisions: conflict.decisions.map((decision) => ({ ...decision, state: { ...decision.state } })),
  superseded: conflict.superseded.map((resolution) => ({
    ...resolution,
    chosen: resolution.chosen && { ...resolution.chosen },
  })),
  followUps: conflict.followUps.map((followUp) => ({ ...followUp })),
});
