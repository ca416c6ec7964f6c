// The audit viewer and exports on a real encrypted workstation: filters and keyset paging against brute force over
// the log table, permissions, the audited export entry, a bundle that verifies, CSV formula escaping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unzipBundle } from '../../../core/audit/bundle-assemble.ts';
import { CSV_FILE, ENTRIES_FILE, MANIFEST_FILE } from '../../../core/audit/bundle-format.ts';
import { csvRow } from '../../../core/audit/csv.ts';
import type { AuditEntry } from '../../../core/audit/entry.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent, auditSigningKeys } from '../../../electron/services/audit/audit-log.ts';
import { ACTOR_COUNT_SCAN } from '../../../electron/services/workstation/queries/audit-view.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import { call, callError, refusalsLogged } from '../../support/api.ts';
import { claimedPayload } from '../audit/helpers.ts';

type View = {
  sequence: string;
  time: string;
  actor: string;
  type: string;
  subjects: string[];
  payload: Record<string, unknown>;
  commitment: string | null;
  leafHash: string;
};
type Page = { entries: View[]; total: number; totalCapped: boolean; nextCursor: string | null; logSize: number };
type Exported = {
  fileName: string;
  mediaType: string;
  base64: string;
  bytes: number;
  entries: number;
  exportSequence: string;
};

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

type Row = { sequence: number; time: string; type: string; actor: string; canonical: Buffer };
const allRows = (ws: TestWorkstation): Row[] =>
  ws.admin.workstation.db
    .prepare<[], Row>('SELECT sequence, time, type, actor, canonical FROM audit_entries ORDER BY sequence')
    .all();
const subjectsOf = (row: Row): readonly string[] => (JSON.parse(row.canonical.toString('utf8')) as AuditEntry).subjects;

/** Every page of a query, following nextCursor; checks that no page is longer than asked. */
const everyPage = (
  session: Session,
  request: Record<string, unknown>,
  limit: number,
): { pages: Page[]; seqs: number[] } => {
  const pages: Page[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = call<Page>(session, 'audit.list', { ...request, limit, ...(cursor ? { cursor } : {}) });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    pages.push(page);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return { pages, seqs: pages.flatMap((page) => page.entries.map((entry) => Number(entry.sequence))) };
};

const setup = () => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const auditor = addUser(ws, 'audrey', ['auditor'], ['*']);
  const officer = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  const senior = addUser(ws, 'sam', ['senior_officer'], ['*']);
  open.push(auditor, officer, senior);
  call(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  // Later activity on other days, so time windows have something to cut.
  const cases = call<{ rows: { id: string; leadId: string; type: string }[] }>(senior, 'cases.list', {
    pageSize: 500,
  }).rows;
  ws.clock.advance(26 * 3_600_000);
  call(senior, 'cases.claim', { caseId: cases[0]!.id });
  ws.clock.advance(3 * 86_400_000);
  call(senior, 'cases.claim', { caseId: cases[1]!.id });
  call(senior, 'cases.decide', {
    caseId: cases[1]!.id,
    disposition: 'escalate',
    reason: '=HYPERLINK("http://example.invalid","click") and @SUM(A1)',
  });
  return { ws, auditor, officer, senior, cases };
};

describe('audit.list', () => {
  it('pages through the whole log newest first and oldest first by sequence, with an exact total', () => {
    const { ws, auditor } = setup();
    const rows = allRows(ws);
    const newest = everyPage(auditor, {}, 7);
    expect(newest.seqs).toEqual(rows.map((row) => row.sequence).reverse());
    expect(newest.pages[0]!.total).toBe(rows.length);
    expect(newest.pages[0]!.totalCapped).toBe(false);
    expect(newest.pages[0]!.logSize).toBe(rows.length);
    const oldest = everyPage(auditor, { order: 'oldest' }, 11);
    expect(oldest.seqs).toEqual(rows.map((row) => row.sequence));
    // A page carries the entry as stored: its payload, subjects and the leaf hash of its canonical bytes.
    const first = oldest.pages[0]!.entries[0]!;
    expect(first).toMatchObject({ sequence: '0', type: 'log.created', actor: 'system:setup' });
    expect(first.leafHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(rows[0]!.canonical.toString('utf8')).payload).toEqual(first.payload);
  });

  it('filters by event types, actor, subject and time window exactly as a scan of the log does', () => {
    const { ws, auditor, cases } = setup();
    const rows = allRows(ws);
    const lead = cases[1]!.leadId;
    const from = new Date(Date.parse('2026-11-23T10:00:00.000Z') + 3_600_000).toISOString();
    const to = new Date(Date.parse('2026-11-23T10:00:00.000Z') + 2 * 86_400_000).toISOString();
    const queries: { request: Record<string, unknown>; keep: (row: Row) => boolean }[] = [
      { request: { types: ['routing.decided'] }, keep: (row) => row.type === 'routing.decided' },
      {
        request: { types: ['case.opened', 'case.decided', 'case.claimed'] },
        keep: (row) => ['case.opened', 'case.decided', 'case.claimed'].includes(row.type),
      },
      { request: { actor: 'sam' }, keep: (row) => row.actor === 'user:sam' },
      { request: { actor: 'system:setup' }, keep: (row) => row.actor === 'system:setup' },
      { request: { subject: `lead:${lead}` }, keep: (row) => subjectsOf(row).includes(`lead:${lead}`) },
      {
        request: { subject: `lead:${lead}`, types: ['case.decided'], actor: 'user:sam' },
        keep: (row) =>
          subjectsOf(row).includes(`lead:${lead}`) && row.type === 'case.decided' && row.actor === 'user:sam',
      },
      { request: { from }, keep: (row) => row.time >= from },
      { request: { to }, keep: (row) => row.time < to },
      { request: { from, to }, keep: (row) => row.time >= from && row.time < to },
      {
        request: { from, types: ['case.claimed', 'case.decided'], actor: 'sam' },
        keep: (row) =>
          row.time >= from && ['case.claimed', 'case.decided'].includes(row.type) && row.actor === 'user:sam',
      },
      { request: { types: ['subject.erased'] }, keep: () => false },
    ];
    for (const { request, keep } of queries) {
      const expected = rows.filter(keep).map((row) => row.sequence);
      for (const order of ['newest', 'oldest'] as const) {
        const { pages, seqs } = everyPage(auditor, { ...request, order }, 4);
        expect(seqs, JSON.stringify({ request, order })).toEqual(
          order === 'newest' ? [...expected].reverse() : expected,
        );
        expect(pages[0]!.total, JSON.stringify(request)).toBe(expected.length);
      }
    }
    // The window really cuts: something before and something after it exists.
    expect(rows.some((row) => row.time < from)).toBe(true);
    expect(rows.some((row) => row.time >= to)).toBe(true);
  });

  it('counts an actor filter alone within the newest 20,000 entries and says when the total is a lower bound', () => {
    const ws = createTestWorkstation();
    open.push(ws.admin);
    const auditor = addUser(ws, 'audrey', ['auditor'], ['*']);
    open.push(auditor);
    const db = ws.admin.workstation.db;
    // 20,300 entries: "user:old" acts only among the first 300, "user:new" there and every tenth entry after them.
    db.transaction(() => {
      for (let i = 0; i < ACTOR_COUNT_SCAN + 300; i++)
        appendAuditEvent(db, {
          time: new Date(ws.clock.now().getTime() + i * 1000),
          actor: i < 300 ? ['user:old', 'user:new', 'user:other'][i % 3]! : i % 10 === 0 ? 'user:new' : 'user:other',
          type: 'case.claimed',
          subjects: [`case:C-${i}`],
          payload: claimedPayload(`C-${i}`),
        });
    })();
    const rows = allRows(ws);
    const newest = rows.slice(-ACTOR_COUNT_SCAN);
    const recent = call<Page>(auditor, 'audit.list', { actor: 'new' });
    expect(recent.totalCapped).toBe(true);
    expect(recent.total).toBe(newest.filter((row) => row.actor === 'user:new').length);
    expect(recent.total).toBeLessThan(rows.filter((row) => row.actor === 'user:new').length);
    // The old actor has nothing in the counted window, yet its entries are still found and paged.
    const old = everyPage(auditor, { actor: 'old' }, 40);
    expect(old.pages[0]!.totalCapped).toBe(true);
    expect(old.seqs).toEqual(
      rows
        .filter((row) => row.actor === 'user:old')
        .map((row) => row.sequence)
        .reverse(),
    );
    // Within a window short enough to count, the total is exact again.
    const from = rows.at(-500)!.time;
    const exact = call<Page>(auditor, 'audit.list', { actor: 'new', from });
    expect(exact.totalCapped).toBe(false);
    expect(exact.total).toBe(rows.filter((row) => row.actor === 'user:new' && row.time >= from).length);
  }, 120_000);

  it('never shows personal data: no lead name or address appears in any listed entry', () => {
    const { auditor } = setup();
    const text = JSON.stringify(everyPage(auditor, {}, 200).pages);
    for (const secret of ['Atelier Moreau', 'rue du Sentier', 'Golden Gate Bikes', '500 Howard St'])
      expect(text).not.toContain(secret);
  });

  it('is refused to a compliance officer (no audit.read) by the services, and rejects a malformed request', () => {
    const { officer, auditor } = setup();
    expect(callError(officer, 'audit.list', {}).code).toBe('forbidden');
    expect(callError(auditor, 'audit.list', { types: ['not.a.type'] }).code).toBe('invalid_request');
    expect(callError(auditor, 'audit.list', { from: 'yesterday' }).code).toBe('invalid_request');
  });
});

describe('audit.export', () => {
  const entryCount = (ws: TestWorkstation): number => allRows(ws).length;
  // CSV files start with a byte order mark, which TextDecoder drops unless told not to.
  const withBom = new TextDecoder('utf-8', { ignoreBOM: true });
  const bytesOf = (exported: Exported): Uint8Array => new Uint8Array(Buffer.from(exported.base64, 'base64'));

  it('exports the regulator bundle, appends its audit.exported entry, and the bundle verifies with trust', () => {
    const { ws, auditor } = setup();
    const before = entryCount(ws);
    const exported = call<Exported>(auditor, 'audit.export', { format: 'bundle' });
    expect(entryCount(ws)).toBe(before + 1);
    expect(exported.exportSequence).toBe(String(before));
    expect(exported.fileName).toBe(`perimeter-audit-test-device-${before}.zip`);
    expect(exported.mediaType).toBe('application/zip');
    const zip = bytesOf(exported);
    expect(zip.length).toBe(exported.bytes);
    const unzipped = unzipBundle(zip);
    if (!unzipped.ok) throw new Error(unzipped.error);
    const trusted = parseTrustedKeys([auditSigningKeys(ws.admin.workstation.db)[0]!.verifierKey]);
    if (!trusted.ok) throw new Error(trusted.error);
    const { report } = verifyAuditBundle(unzipped.value.files, {
      sha256: nodeSha256,
      ed25519Verify: nodeEd25519Verify,
      trustedKeys: trusted.value,
    });
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.trust).toBe('trust-established');
    expect(report.summary.entries).toBe(before + 1);
    const manifest = JSON.parse(new TextDecoder().decode(unzipped.value.files.get(MANIFEST_FILE))) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({ format: 'perimeter-audit-export' });
    const last = allRows(ws).at(-1)!;
    expect(JSON.parse(last.canonical.toString('utf8'))).toMatchObject({
      type: 'audit.exported',
      actor: 'user:audrey',
      payload: { format: 'perimeter-audit-export', formatVersion: 1, includesPersonalData: false },
    });
    expect(unzipped.value.files.has('personal-data.jsonl')).toBe(false);
  });

  it('exports CSV and JSON of the whole log as the bundle files, each export audited', () => {
    const { ws, auditor } = setup();
    const before = entryCount(ws);
    const csv = call<Exported>(auditor, 'audit.export', { format: 'csv' });
    const json = call<Exported>(auditor, 'audit.export', { format: 'json' });
    expect(entryCount(ws)).toBe(before + 2);
    expect(csv.exportSequence).toBe(String(before));
    expect(json.exportSequence).toBe(String(before + 1));
    expect(csv.mediaType).toBe('text/csv; charset=utf-8');
    expect(json.fileName).toMatch(/\.jsonl$/);
    // The JSON export is entries.jsonl: each line exactly the canonical bytes stored, ending in its own export entry.
    const lines = new TextDecoder().decode(bytesOf(json)).trimEnd().split('\n');
    const stored = allRows(ws).map((row) => row.canonical.toString('utf8'));
    expect(lines).toEqual(stored.slice(0, before + 2));
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'audit.exported', actor: 'user:audrey' });
    const csvText = withBom.decode(bytesOf(csv));
    expect(csvText.startsWith('\ufeffsequence,time,type,actor,subjects,commitment,previous,log,payload\r\n')).toBe(
      true,
    );
    expect(csvText.trimEnd().split('\r\n')).toHaveLength(before + 1 + 1);
    const unzipped = unzipBundle(bytesOf(call<Exported>(auditor, 'audit.export', { format: 'bundle' })));
    if (!unzipped.ok) throw new Error(unzipped.error);
    expect(new TextDecoder().decode(unzipped.value.files.get(ENTRIES_FILE)).startsWith(lines.join('\n'))).toBe(true);
    // The regulator bundle leaves the CSV view out (decision 0231), and its export entry says so.
    expect(unzipped.value.files.has(CSV_FILE)).toBe(false);
    const bundleLines = new TextDecoder().decode(unzipped.value.files.get(ENTRIES_FILE)).trimEnd().split('\n');
    expect(JSON.parse(bundleLines.at(-1)!)).toMatchObject({ type: 'audit.exported', payload: { includesCsv: false } });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ payload: { includesCsv: false } });
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ payload: { includesCsv: true } });
  });

  it('exports the viewer filter as CSV and JSON, and escapes cells that would be spreadsheet formulas', () => {
    const { ws, auditor, cases } = setup();
    const lead = cases[1]!.leadId;
    const filter = { subject: `lead:${lead}`, types: ['case.decided', 'routing.decided'] };
    const expected = allRows(ws).filter(
      (row) => subjectsOf(row).includes(`lead:${lead}`) && ['case.decided', 'routing.decided'].includes(row.type),
    );
    const json = call<Exported>(auditor, 'audit.export', { format: 'json', filter });
    expect(json.fileName).toMatch(/-filtered\.jsonl$/);
    expect(json.entries).toBe(expected.length);
    expect(new TextDecoder().decode(bytesOf(json))).toBe(
      expected.map((row) => `${row.canonical.toString('utf8')}\n`).join(''),
    );
    // The filtered export is audited like any other: its entry is the last of the log.
    const exportEntry = allRows(ws).at(-1)!;
    expect(exportEntry.type).toBe('audit.exported');
    expect(String(exportEntry.sequence)).toBe(json.exportSequence);

    const csv = new TextDecoder().decode(bytesOf(call<Exported>(auditor, 'audit.export', { format: 'csv', filter })));
    const rows = csv
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(expected.length + 1);
    // The decision's reason starts with "=", but it is free text: beside the log, never in an entry nor its export.
    expect(csv).not.toContain('HYPERLINK');
    // No cell of the file starts with a formula character.
    const cells = rows.slice(1).flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []);
    for (const cell of cells) expect(cell.replace(/^"/, ''), cell).not.toMatch(/^[=+\-@\t\r]/);
    // And the writer the export uses defuses a cell that does start with one (entries can only get there by tampering).
    const crafted = JSON.parse(expected[0]!.canonical.toString('utf8')) as AuditEntry;
    const row = csvRow({ ...crafted, actor: '=cmd|calc', subjects: ['+1', '@x'] } as AuditEntry);
    expect(row).toContain(",'=cmd|calc,'+1 @x,");
    expect(csvRow({ ...crafted, actor: '-2+3' } as AuditEntry)).toContain(",'-2+3,");
  });

  it('refuses a compliance officer, a filtered bundle, and appends nothing when it refuses', () => {
    const { ws, officer, auditor } = setup();
    const before = entryCount(ws);
    for (const format of ['csv', 'json', 'bundle'])
      expect(callError(officer, 'audit.export', { format }).code).toBe('forbidden');
    expect(callError(auditor, 'audit.export', { format: 'bundle', filter: { actor: 'sam' } }).code).toBe(
      'invalid_input',
    );
    // Nothing but the three refusals themselves (decision 0130); the bad filter is no refusal.
    expect(entryCount(ws)).toBe(before + 3);
    expect(refusalsLogged(officer)).toEqual(
      Array.from({ length: 3 }, () => ({
        actor: `user:${officer.user.id}`,
        action: 'audit.export',
        reason: 'forbidden',
        subjects: [],
      })),
    );
  });
});
