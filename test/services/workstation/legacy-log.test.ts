// The log is forever: entries written before typed events (payload version 1, loose, with personal data inside) still
// verify, project and rebuild; and new entries are held to the strict version 2 schema of their type at write time.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { commitPersonalData } from '../../../core/audit/entry.ts';
import type { JsonObject } from '../../../core/audit/entry.ts';
import { appendEntry } from '../../../core/audit/log-engine.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import { canonicalJsonBytes } from '../../../core/shared/canonical-json.ts';
import type { JsonValue } from '../../../core/shared/canonical-json.ts';
import { auditLogIdentity, auditSigningKeys } from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { sqliteAuditStore } from '../../../electron/services/audit/sqlite-store.ts';
import { decide, claim } from '../../../electron/services/workstation/commands/cases.ts';
import { projectEntry } from '../../../electron/services/workstation/projection/projector.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { commit } from '../../../electron/services/workstation/session/workstation.ts';
import { createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation();
const { db } = ws.admin.workstation;
afterAll(() => ws.admin.workstation.close());

/**
 * Appends one entry exactly as the code before typed events wrote it: through the raw log append (core), its personal
 * data (if any) beside it under a salted commitment, projected at once.
 */
const writeOld = (
  type: Parameters<typeof appendEntry>[2]['type'],
  subjects: string[],
  payload: JsonObject,
  personal?: { readonly subject: string; readonly regime: string; readonly data: JsonValue },
): number =>
  db.transaction(() => {
    const salt = new Uint8Array(randomBytes(32));
    const commitment = personal ? commitPersonalData(salt, personal.data, nodeSha256) : null;
    const appended = appendEntry(
      sqliteAuditStore(db),
      auditLogIdentity(db),
      { time: ws.clock.now().toISOString(), actor: 'user:ada', type, subjects, payload, commitment },
      nodeSha256,
      { clampTime: true },
    );
    if (personal)
      db.prepare(
        'INSERT INTO audit_personal_data (sequence, subject, regime, commitment, salt, data) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        appended.sequence,
        personal.subject,
        personal.regime,
        Buffer.from(commitment!, 'hex'),
        salt,
        canonicalJsonBytes(personal.data),
      );
    projectEntry(db, appended.entry, appended.sequence);
    return appended.sequence;
  })();

const oldState = (status: string, extra: Record<string, JsonValue> = {}): JsonObject => ({
  status,
  claimedBy: null,
  claimedAt: null,
  maker: null,
  checker: null,
  resolution: null,
  closedAt: null,
  ...extra,
});

describe('a log written before typed events (payload version 1)', () => {
  // The version 1 shapes, field for field as intake.ts, cases.ts and users.ts wrote them.
  writeOld('user.created', ['user:vic'], {
    userId: 'vic',
    name: 'Victor Old-Style',
    roles: ['senior_officer'],
    markets: ['*'],
  });
  const ingested = writeOld(
    'lead.ingested',
    ['lead:L-OLD-1'],
    {
      leadId: 'L-OLD-1',
      source: 'file',
      sourceSystem: 'crm',
      sourceId: 'L-OLD-1',
      facts: {
        customerType: 'sme',
        kycStatus: 'verified',
        amlDocumentation: 'complete',
        suitabilityAssessed: true,
        netWorthBand: null,
        targetMarket: null,
        kycPrescreenJurisdiction: null,
        attributes: { email: 'old@example.test' },
        productInterests: ['business-account'],
        parties: ['company'],
      },
      scope: 'GB',
    },
    {
      subject: 'lead:L-OLD-1',
      regime: 'prospects',
      data: { company: { name: 'Old Style Trading Ltd' }, address: { country: 'GB' } },
    },
  );
  writeOld('lead.screened', ['lead:L-OLD-1'], {
    leadId: 'L-OLD-1',
    outcome: 'potential',
    screening: {
      screenedAt: '2026-11-23T10:00:00.000Z',
      hits: [
        {
          party: 'company',
          listKind: 'sanctions',
          strength: 'potential',
          listId: 'uk-hmt',
          listVersion: '2026-11-01',
          entryId: 'E-9',
          entryName: 'Old Style Trading',
          score: 0.9,
          cleared: false,
        },
      ],
    },
  });
  const routed = writeOld('routing.decided', ['lead:L-OLD-1'], {
    leadId: 'L-OLD-1',
    productId: 'business-account',
    outcome: 'refused',
    queue: 'screening_review',
    reason: 'potential_sanctions_match',
    entityId: null,
    teamId: null,
    repId: null,
    licenceId: null,
    jurisdiction: 'GB',
    ruleVersion: ws.admin.workstation.policy().loaded.version,
    cursor: null,
    notifications: [],
    trace: { format: 3 },
  });
  const caseId = `C-${routed}`;
  writeOld('case.opened', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    queue: 'screening_review',
    leadId: 'L-OLD-1',
    productId: 'business-account',
    reason: 'potential_sanctions_match',
    risk: 'medium',
    jurisdiction: 'GB',
    ruleVersion: ws.admin.workstation.policy().loaded.version,
    openedAt: '2026-11-23T10:00:00.000Z',
    slaDueAt: '2026-11-25T10:00:00.000Z',
    decisionSequence: String(routed),
  });
  const claimed = { claimedBy: 'vic', claimedAt: '2026-11-23T10:05:00.000Z' };
  writeOld('case.claimed', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    action: 'claim',
    state: oldState('claimed', claimed),
  });
  // Version 1 logged a release as case.claimed with action "release".
  writeOld('case.claimed', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    action: 'release',
    state: oldState('open'),
  });
  writeOld('case.claimed', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    action: 'claim',
    state: oldState('claimed', claimed),
  });
  const maker = {
    userId: 'vic',
    at: '2026-11-23T10:10:00.000Z',
    disposition: 'clear_false_positive',
    reason: 'different company, other registration number',
    assignment: null,
    override: null,
  };
  writeOld('case.decided', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    decision: 'clear_false_positive',
    reason: maker.reason,
    violations: [],
    state: oldState('awaiting_approval', { ...claimed, maker }),
  });
  // Version 1 logged a return for rework as case.approved with verdict "returned".
  const checker = { userId: 'ada', at: '2026-11-23T10:20:00.000Z', verdict: 'returned', reason: 'check the address' };
  writeOld('case.approved', [`case:${caseId}`, 'lead:L-OLD-1'], {
    caseId,
    decision: 'clear_false_positive',
    verdict: 'returned',
    reason: checker.reason,
    state: oldState('claimed', { ...claimed, maker, checker }),
  });
  writeOld('personal_data.read', ['lead:L-OLD-1'], {
    fields: ['address', 'company'],
    purpose: 'old-style read',
    sequences: [String(ingested)],
  });

  it('projects as it was written: names, source ids, hit names and reasons from the old payloads', () => {
    expect(db.prepare("SELECT name FROM users WHERE id = 'vic'").pluck().get()).toBe('Victor Old-Style');
    const lead = db.prepare("SELECT source_id, subject, screening FROM leads WHERE id = 'L-OLD-1'").get() as {
      source_id: string;
      subject: string;
      screening: string;
    };
    expect(lead.source_id).toBe('L-OLD-1');
    expect(lead.subject).toBe('Old Style Trading Ltd');
    expect(JSON.parse(lead.screening).hits[0].entryName).toBe('Old Style Trading');
    const kase = db.prepare('SELECT status, claimed_by, maker, checker FROM cases WHERE id = ?').get(caseId) as {
      status: string;
      claimed_by: string;
      maker: string;
      checker: string;
    };
    expect(kase.status).toBe('claimed');
    expect(kase.claimed_by).toBe('vic');
    expect(JSON.parse(kase.maker).reason).toBe(maker.reason);
    expect(JSON.parse(kase.checker)).toMatchObject({ verdict: 'returned', reason: 'check the address' });
  });

  it('takes new version 2 entries after the old ones, and the rebuild equals the live tables', () => {
    // New commands on the old data: the case claimed above by "vic" is decided again by ada after a release.
    ws.clock.advance(3_600_000);
    commit(ws.admin.workstation, (append) =>
      append({
        actor: 'user:ada',
        type: 'case.released',
        subjects: [`case:${caseId}`, 'lead:L-OLD-1'],
        payload: {
          pv: 2,
          caseId,
          claimedBy: 'vic',
          state: {
            status: 'open',
            claimedBy: null,
            claimedAt: null,
            maker: { userId: 'vic', at: maker.at, disposition: maker.disposition, assignment: null, override: null },
            checker: { userId: 'ada', at: checker.at, verdict: 'returned' },
            resolution: null,
            closedAt: null,
          },
        },
        personalData: { subject: 'lead:L-OLD-1', regime: 'prospects', data: { reason: 'vic left' } },
      }),
    );
    claim(ws.admin, caseId);
    decide(ws.admin, caseId, { disposition: 'escalate', reason: 'needs the senior team' });
    const live = projectionSnapshot(db);
    expect(JSON.parse(db.prepare('SELECT maker FROM cases WHERE id = ?').pluck().get(caseId) as string).reason).toBe(
      'needs the senior team',
    );
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('verifies: an export of the mixed log is valid with trust established', () => {
    const { files } = exportAuditBundle(db, { now: ws.clock.now(), actor: 'user:ada' });
    const trusted = parseTrustedKeys(auditSigningKeys(db).map((key) => key.verifierKey));
    if (!trusted.ok) throw new Error(trusted.error);
    const { report } = verifyAuditBundle(files, { sha256: nodeSha256, trustedKeys: trusted.value });
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.summary.eventCounts['case.claimed']).toBe(4);
  });
});

describe('writing a new entry', () => {
  it('refuses a payload that is not exactly its type’s version 2 shape, naming the field, writing nothing', () => {
    const count = (): unknown => db.prepare('SELECT count(*) FROM audit_entries').pluck().get();
    const before = count();
    const userCreated = (payload: Record<string, unknown>, personal?: Record<string, unknown>) => () =>
      commit(ws.admin.workstation, (append) =>
        append({
          actor: 'user:ada',
          type: 'user.created',
          subjects: ['user:zed'],
          payload: payload as never,
          ...(personal ? { personalData: { subject: 'user:zed', regime: 'workforce', data: personal as never } } : {}),
        }),
      );
    const valid = { pv: 2, userId: 'zed', roles: ['auditor'], markets: ['UK'] };
    // A personal field in the hashed payload is refused: the strict schema knows no `name`.
    expect(userCreated({ ...valid, name: 'Zed Zedson' }, { name: 'Zed Zedson' })).toThrow(
      /payload: Unrecognized key.*name/,
    );
    // A version 1 payload (no pv) is read from old logs but never written.
    expect(userCreated({ userId: 'zed', roles: ['auditor'], markets: ['UK'] }, { name: 'Z' })).toThrow(/payload\.pv/);
    // The personal data is required, and strict too.
    expect(userCreated(valid)).toThrow(/personalData: user.created entries carry personal data/);
    expect(userCreated(valid, { name: 'Z', email: 'z@example.test' })).toThrow(/personalData\.data: Unrecognized key/);
    expect(count()).toBe(before);
  });
});
