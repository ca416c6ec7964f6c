// The licensing map and policy publication on a real encrypted workstation: who reads the map, preview issues with
// lines, the diff, publication as an audited meta-action that routing follows, and every refusal.
import { personalDataAt } from '../../../electron/services/workstation/projection/projector.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../../core/api/contract.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation, withoutApprovals, leadIdOf } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import { callError, entryCount, refusalsLogged } from '../../support/api.ts';

// The active policy of a test workstation: the example without its approvals section.
const fintechText = withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8'));
const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

const call = <M extends 'policy.current' | 'policy.preview' | 'policy.publish' | 'leads.add'>(
  session: Session,
  method: M,
  request: unknown,
): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const edit = (text: string, from: string, to: string): string => {
  expect(text.split(from).length - 1, `"${from}" occurs once`).toBe(1);
  return text.replace(from, to);
};

/** The fintech map with a Jersey licence for the UK entity and a new label. */
const jerseyText = edit(
  edit(
    fintechText,
    '  - id: northwind-eu-ab',
    `      - id: jfsc-msb
        regulator: JFSC
        regime: Jersey money service business
        jurisdictions: [JE]
        productClasses: [payments]
        customerTypes: [professional]
        validFrom: 2026-01-01
  - id: northwind-eu-ab`,
  ),
  'version: 2026.11-1',
  'version: 2026.11-2',
);

const setup = () => {
  const ws: TestWorkstation = createTestWorkstation();
  open.push(ws.admin);
  const officer = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  const auditor = addUser(ws, 'audrey', ['auditor'], ['*']);
  const fieldRep = addUser(ws, 'finn', ['field_rep'], ['UK']);
  open.push(officer, auditor, fieldRep);
  return { ws, admin: ws.admin, officer, auditor, fieldRep };
};

const jerseyLead = (id: string) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name: `${id} Holdings Ltd` },
  address: { line1: '1 Esplanade', city: 'St Helier', country: 'JE' },
  kycPrescreenJurisdiction: 'JE',
});

/** The rule version and outcome recorded in a lead's routing decision. */
const routedWith = (session: Session, leadId: string): { ruleVersion: string; reason: unknown } => {
  const row = session.workstation.db
    .prepare<[string], { canonical: Buffer }>(
      `SELECT e.canonical FROM audit_entry_subjects s JOIN audit_entries e ON e.sequence = s.sequence
       WHERE s.subject = ? AND e.type = 'lead.intake' ORDER BY e.sequence DESC LIMIT 1`,
    )
    .get(`lead:${leadIdOf(session, leadId)}`);
  // The lead's intake entry (decision 0263): its rule version, and its one path's reason.
  const payload = (JSON.parse(row!.canonical.toString('utf8')) as { payload: Record<string, unknown> }).payload;
  const [path] = payload.paths as Record<string, unknown>[];
  return { ruleVersion: payload.ruleVersion as string, reason: path!.reason };
};

const previewOk = (session: Session, text: string) => {
  const preview = call(session, 'policy.preview', { fileName: 'policy.yaml', text });
  if (!preview.valid) throw new Error(`preview failed: ${JSON.stringify(preview.issues)}`);
  return preview;
};

describe('the licensing map (policy.current)', () => {
  it('shows the operations admin the whole active map, its version and who published it', () => {
    const { admin } = setup();
    const current = call(admin, 'policy.current', {});
    expect(current).toMatchObject({
      label: '2026.11-1',
      scoped: false,
      mayPublish: true,
      asOf: '2026-11-23',
      published: { publishedBy: 'user:ada', label: '2026.11-1', previousRuleVersion: null },
      history: [],
    });
    expect(current.ruleVersion).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(current.map.entities.map((entity) => entity.id)).toEqual([
      'northwind-uk-ltd',
      'northwind-eu-ab',
      'northwind-us-llc',
    ]);
    const gb = current.map.entities[0]?.rows.find((row) => row.jurisdiction === 'GB');
    expect(gb?.cells.find((cell) => cell.productId === 'corporate-cards')?.covers[0]).toMatchObject({
      licenceId: 'fca-emi',
      status: 'in_force',
    });
    expect(current.map.reps).toHaveLength(8);
  });

  it('cuts the map to an officer’s markets, shows an auditor all of it, and refuses a field rep', () => {
    const { officer, auditor, fieldRep } = setup();
    const scoped = call(officer, 'policy.current', {});
    expect(scoped.scoped).toBe(true);
    expect(scoped.mayPublish).toBe(false);
    expect(scoped.map.entities.map((entity) => entity.id)).toEqual(['northwind-uk-ltd', 'northwind-eu-ab']);
    expect(scoped.map.reps.map((rep) => rep.id)).not.toContain('rep-marcus');
    const all = call(auditor, 'policy.current', {});
    expect(all.scoped).toBe(false);
    expect(all.map.entities).toHaveLength(3);
    expect(callError(fieldRep, 'policy.current', {}).code).toBe('forbidden');
  });
});

describe('previewing a new version (policy.preview)', () => {
  it('returns every problem with its line and column, not an error', () => {
    const { admin } = setup();
    const broken = edit(
      fintechText,
      '    products: [business-payments, corporate-cards]\n    customerTypes',
      '    products: [business-payments, gift-cards]\n    customerTypes',
    );
    const lines = broken.split('\n');
    const line = lines.findIndex((text) => text.includes('gift-cards')) + 1;
    const column = (lines[line - 1] ?? '').indexOf('gift-cards') + 1;
    const preview = call(admin, 'policy.preview', { fileName: 'broken.yaml', text: broken });
    expect(preview).toEqual({
      valid: false,
      fileName: 'broken.yaml',
      issues: [{ line, column, path: 'teams[0].products[1]', message: 'unknown product "gift-cards"' }],
    });
    const syntax = call(admin, 'policy.preview', {
      fileName: 'syntax.yaml',
      text: 'schema: perimeter.policy/v1\nname: [unclosed\n',
    });
    expect(syntax.valid).toBe(false);
    if (!syntax.valid) expect(syntax.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('returns the new rule version and the diff against the active policy', () => {
    const { admin } = setup();
    const active = call(admin, 'policy.current', {});
    const preview = previewOk(admin, jerseyText);
    expect(preview.ruleVersion).not.toBe(active.ruleVersion);
    expect(preview).toMatchObject({
      label: '2026.11-2',
      activeRuleVersion: active.ruleVersion,
      activeLabel: '2026.11-1',
      alreadyActive: false,
    });
    expect(preview.diff.label).toEqual({ before: '2026.11-1', after: '2026.11-2' });
    expect(preview.diff.licences).toEqual([
      expect.objectContaining({
        change: 'added',
        entityId: 'northwind-uk-ltd',
        jurisdiction: 'JE',
        productId: 'business-payments',
      }),
    ]);
    expect(previewOk(admin, fintechText)).toMatchObject({ alreadyActive: true, diff: { identical: true } });
  });
});

describe('publishing (policy.publish)', () => {
  it('makes the new version active, audits who, why and what it replaced, and routes the next lead with it', () => {
    const { admin, officer } = setup();
    const before = call(admin, 'policy.current', {});
    call(admin, 'leads.add', { lead: jerseyLead('L-JE-1') });
    expect(routedWith(admin, 'L-JE-1')).toEqual({ ruleVersion: before.ruleVersion, reason: 'no_licensed_entity' });

    const preview = previewOk(admin, jerseyText);
    const entries = entryCount(admin);
    const published = call(admin, 'policy.publish', {
      fileName: 'policy-2026.11-2.yaml',
      text: jerseyText,
      ruleVersion: preview.ruleVersion,
      activeRuleVersion: preview.activeRuleVersion,
      reason: 'JFSC licence granted to the UK entity',
    });
    expect(entryCount(admin)).toBe(entries + 1);
    expect(published).toMatchObject({
      ruleVersion: preview.ruleVersion,
      label: '2026.11-2',
      publishedBy: 'user:ada',
      reason: 'JFSC licence granted to the UK entity',
      previousRuleVersion: before.ruleVersion,
    });

    const entry = admin.workstation.db
      .prepare<[], { sequence: number; actor: string; canonical: Buffer }>(
        "SELECT sequence, actor, canonical FROM audit_entries WHERE type = 'policy.published' ORDER BY sequence DESC LIMIT 1",
      )
      .get()!;
    expect(entry.actor).toBe('user:ada');
    const logged = JSON.parse(entry.canonical.toString('utf8')) as {
      subjects: string[];
      payload: Record<string, unknown>;
    };
    expect(logged.subjects).toEqual([`policy:${preview.ruleVersion}`]);
    expect(logged.payload).toMatchObject({
      ruleVersion: preview.ruleVersion,
      label: '2026.11-2',
      previousRuleVersion: before.ruleVersion,
      previousLabel: '2026.11-1',
      bundle: jerseyText,
      changes: { licencesAdded: 1, licencesRemoved: 0, entities: 1 },
    });
    // The publisher's reason and file name are free text: beside the log, bound by the entry's commitment.
    expect(logged.payload.reason).toBeUndefined();
    expect(entry.canonical.toString('utf8')).not.toContain('JFSC licence granted');
    expect(personalDataAt(admin.workstation.db, entry.sequence)).toMatchObject({
      reason: 'JFSC licence granted to the UK entity',
    });

    // Every session sees it: the map, and routing from the next decision on (a Jersey lead now finds the licence).
    const after = call(officer, 'policy.current', {});
    expect(after.ruleVersion).toBe(preview.ruleVersion);
    expect(after.published).toMatchObject({ publishedBy: 'user:ada', reason: 'JFSC licence granted to the UK entity' });
    expect(after.history.map((publication) => publication.ruleVersion)).toEqual([before.ruleVersion]);
    call(admin, 'leads.add', { lead: jerseyLead('L-JE-2') });
    expect(routedWith(admin, 'L-JE-2')).toEqual({ ruleVersion: preview.ruleVersion, reason: 'no_eligible_team' });
  });

  it('refuses a compliance officer and an auditor, and appends nothing', () => {
    const { admin, officer, auditor } = setup();
    const preview = previewOk(admin, jerseyText);
    const entries = entryCount(admin);
    for (const session of [officer, auditor]) {
      expect(callError(session, 'policy.preview', { fileName: 'p.yaml', text: jerseyText }).code).toBe('forbidden');
      expect(
        callError(session, 'policy.publish', {
          fileName: 'p.yaml',
          text: jerseyText,
          ruleVersion: preview.ruleVersion,
          activeRuleVersion: preview.activeRuleVersion,
          reason: 'trying my luck here',
        }).code,
      ).toBe('forbidden');
    }
    // Nothing but the four refusals themselves (decision 0130).
    expect(entryCount(admin)).toBe(entries + 4);
    expect(refusalsLogged(admin).map(({ actor, action, reason }) => `${actor} ${action} ${reason}`)).toEqual([
      `user:${officer.user.id} policy.preview forbidden`,
      `user:${officer.user.id} policy.publish forbidden`,
      `user:${auditor.user.id} policy.preview forbidden`,
      `user:${auditor.user.id} policy.publish forbidden`,
    ]);
    expect(call(admin, 'policy.current', {}).ruleVersion).toBe(preview.activeRuleVersion);
  });

  it('refuses a stale preview, the active version, an invalid file and a missing reason', () => {
    const { admin } = setup();
    const preview = previewOk(admin, jerseyText);
    const publish = (overrides: Record<string, unknown>) =>
      callError(admin, 'policy.publish', {
        fileName: 'p.yaml',
        text: jerseyText,
        ruleVersion: preview.ruleVersion,
        activeRuleVersion: preview.activeRuleVersion,
        reason: 'new Jersey licence',
        ...overrides,
      });
    const entries = entryCount(admin);
    // The file changed after it was previewed.
    const changed = publish({ text: edit(jerseyText, 'capacity: 40', 'capacity: 41') });
    expect(changed.code).toBe('conflict');
    expect(changed.message).toContain('preview it again');
    // The active version itself.
    expect(publish({ text: fintechText, ruleVersion: preview.activeRuleVersion }).message).toContain(
      'already the active policy',
    );
    expect(publish({ text: 'schema: nope\n' }).code).toBe('invalid_input');
    expect(publish({ reason: 'ok' }).code).toBe('invalid_request');
    expect(publish({ ruleVersion: 'v2' }).code).toBe('invalid_request');
    expect(entryCount(admin)).toBe(entries);

    // Someone else published in between: a preview against the old active version is refused.
    const other = edit(fintechText, 'version: 2026.11-1', 'version: 2026.11-9');
    const otherPreview = previewOk(admin, other);
    call(admin, 'policy.publish', {
      fileName: 'other.yaml',
      text: other,
      ruleVersion: otherPreview.ruleVersion,
      activeRuleVersion: otherPreview.activeRuleVersion,
      reason: 'relabel the map',
    });
    const stale = publish({});
    expect(stale.code).toBe('conflict');
    expect(stale.message).toContain('the active policy changed since the preview');
  });

  it('can publish an earlier version again (a rollback), and the rebuilt projections equal the live ones', () => {
    const { admin } = setup();
    const original = call(admin, 'policy.current', {}).ruleVersion;
    const preview = previewOk(admin, jerseyText);
    call(admin, 'policy.publish', {
      fileName: 'p.yaml',
      text: jerseyText,
      ruleVersion: preview.ruleVersion,
      activeRuleVersion: preview.activeRuleVersion,
      reason: 'new Jersey licence',
    });
    const back = previewOk(admin, fintechText);
    expect(back.diff.licences).toEqual([expect.objectContaining({ change: 'removed', jurisdiction: 'JE' })]);
    call(admin, 'policy.publish', {
      fileName: 'policy.yaml',
      text: fintechText,
      ruleVersion: back.ruleVersion,
      activeRuleVersion: back.activeRuleVersion,
      reason: 'licence application withdrawn: roll back',
    });
    const current = call(admin, 'policy.current', {});
    expect(current.ruleVersion).toBe(original);
    expect(current.history.map((publication) => publication.ruleVersion)).toEqual([preview.ruleVersion, original]);
    const live = projectionSnapshot(admin.workstation.db);
    rebuildProjections(admin.workstation.db);
    expect(projectionSnapshot(admin.workstation.db)).toEqual(live);
  });
});
