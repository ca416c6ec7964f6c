// The file-drop connector (decision 0212) and KYC result files (decision 0213): one JSON file per event, written
// atomically (a reader polling the folder never sees a partial file; no temporaries left; owner-only), without the
// subject's personal data; result files validated whole, every problem named by file, record and field, and applied
// in one transaction, or nothing.
import { mkdirSync, renameSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KycInitiationEventSchema } from '../../../core/kyc/event.ts';
import { deliverKycOutbox } from '../../../electron/services/workstation/commands/kyc-delivery.ts';
import { configureKycConnector } from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { importKycResults } from '../../../electron/services/workstation/commands/kyc-outcomes.ts';
import { writeBytesAtomically } from '../../../electron/services/store/atomic-file.ts';
import { WorkstationError } from '../../../electron/services/workstation/session/workstation.ts';
import { createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import {
  appliedRows,
  createAppliedTable,
  entriesOfType,
  importExampleLeads,
  queueInitiations,
  recordingApplier,
} from '../../support/kyc.ts';

let ws: TestWorkstation;
let leads: string[];
let drop: string;

beforeAll(() => {
  ws = createTestWorkstation();
  leads = importExampleLeads(ws.admin);
  createAppliedTable(ws.admin);
  drop = join(ws.dir, 'kyc-drop');
  mkdirSync(drop);
  configureKycConnector(ws.admin, { kind: 'file_drop', dropDir: drop });
});

describe('the file drop', () => {
  it('writes one owner-only JSON file per event, whole, with no personal data and no temporaries, while a reader polls', async () => {
    const events = queueInitiations(ws.admin, leads, 60);
    const partial: string[] = [];
    let polling = true;
    // A reader that takes every kyc_*.json it sees, as an air-gapped KYC desk's import would.
    const reader = (async () => {
      while (polling) {
        for (const name of readdirSync(drop).filter((file) => /^kyc_[0-9a-f]{32}\.json$/.test(file))) {
          const text = readFileSync(join(drop, name), 'utf8');
          if (!KycInitiationEventSchema.safeParse(JSON.parse(text || 'null')).success) partial.push(name);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const pass = await deliverKycOutbox(ws.admin.workstation, { batchSize: 7, concurrency: 3 });
    polling = false;
    await reader;
    expect(pass).toMatchObject({ connector: 'file_drop', attempted: 60, delivered: 60, failed: 0 });
    expect(partial).toEqual([]);
    const files = readdirSync(drop).sort();
    expect(files).toEqual(events.map((id) => `${id}.json`).sort());
    for (const id of events) {
      const path = join(drop, `${id}.json`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const event = KycInitiationEventSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      expect(event.data.eventId).toBe(id);
      expect(event.data.subject).toBeNull();
    }
    const delivered = entriesOfType(ws.admin, 'kyc.initiation_delivered');
    expect(delivered).toHaveLength(60);
    expect(delivered.every((entry) => (entry.payload.disclosed as string[]).length === 0)).toBe(true);
    // Nothing of a lead's personal data is in the files.
    const names = (ws.admin.workstation.db.prepare('SELECT subject FROM leads').all() as { subject: string }[]).map(
      (row) => row.subject,
    );
    const everything = files.map((name) => readFileSync(join(drop, name), 'utf8')).join('\n');
    for (const name of names.filter((text) => text.length > 4)) expect(everything).not.toContain(name);
  });

  it('leaves neither a file nor a temporary when a write fails, and keeps the event pending for a later attempt', async () => {
    const [event] = queueInitiations(ws.admin, leads, 1, 500);
    // The folder is gone (an unmounted share): the write fails before anything is in place.
    renameSync(drop, `${drop}-away`);
    try {
      const pass = await deliverKycOutbox(ws.admin.workstation);
      expect(pass).toMatchObject({ delivered: 0, failed: 1 });
    } finally {
      renameSync(`${drop}-away`, drop);
    }
    expect(readdirSync(drop).filter((name) => name.includes(event!))).toEqual([]);
    expect(readdirSync(drop).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(
      ws.admin.workstation.db
        .prepare('SELECT state, attempts, last_error FROM kyc_outbox WHERE event_id = ?')
        .get(event),
    ).toEqual({ state: 'pending', attempts: 1, last_error: 'folder_missing' });
  });

  it('replaces a file atomically: the old bytes stay whole until the new ones are in place, and no temporary remains', () => {
    const path = join(drop, 'replace-me.json');
    writeBytesAtomically(path, Buffer.from('{"v":1}'), { syncFolder: true });
    writeBytesAtomically(path, Buffer.from('{"v":2}'), { syncFolder: true });
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}');
    expect(() => writeBytesAtomically(join(drop, 'no-such-folder', 'x.json'), Buffer.from('{}'))).toThrow();
    expect(readdirSync(drop).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    rmSync(path);
  });
});

describe('a KYC result file', () => {
  const fileOf = (results: unknown[]): string =>
    JSON.stringify({ format: 'perimeter.kyc-results', version: 1, results });
  const leadOf = (eventId: string): string =>
    (
      ws.admin.workstation.db.prepare('SELECT lead_id FROM kyc_outbox WHERE event_id = ?').get(eventId) as {
        lead_id: string;
      }
    ).lead_id;
  const problemOf = (content: string): string => {
    try {
      importKycResults(ws.admin, { fileName: 'results.json', content }, recordingApplier);
    } catch (error) {
      expect(error).toBeInstanceOf(WorkstationError);
      expect((error as WorkstationError).code).toBe('invalid_input');
      return (error as Error).message;
    }
    throw new Error('the import should have been refused');
  };

  it('names the file, the record and the field of every problem, and writes nothing', () => {
    const [a, b] = queueInitiations(ws.admin, leads, 2, 700);
    const logged = entriesOfType(ws.admin, 'kyc.outcome_received').length;
    const applied = appliedRows(ws.admin).length;
    expect(problemOf('{"format":')).toMatch(/^results\.json: not JSON/);
    expect(problemOf(JSON.stringify({ format: 'other', version: 1, results: [] }))).toMatch(/^results\.json: format: /);
    const good = { id: 'res-1', eventId: a, leadId: leadOf(a!), status: 'verified' };
    expect(problemOf(fileOf([good, { ...good, id: 'res-2', status: 'approved' }]))).toMatch(
      /results\.json: record 2: status: /,
    );
    expect(problemOf(fileOf([good, { ...good, id: 'res-2', eventId: `kyc_${'f'.repeat(32)}` }]))).toContain(
      `results.json: record 2: eventId: no KYC event kyc_${'f'.repeat(32)}`,
    );
    expect(problemOf(fileOf([good, { ...good, id: 'res-2', eventId: b, leadId: leadOf(a!) }]))).toContain(
      'results.json: record 2: leadId: ',
    );
    expect(problemOf(fileOf([good, { ...good }]))).toContain('results.json: record 2: id: res-1 appears twice');
    const message = problemOf(
      fileOf([
        { ...good, completedAt: 'yesterday' },
        { ...good, id: 'res 2' },
      ]),
    );
    expect(message).toContain('record 1: completedAt');
    expect(message).toContain('record 2: id');
    expect(entriesOfType(ws.admin, 'kyc.outcome_received')).toHaveLength(logged);
    expect(appliedRows(ws.admin)).toHaveLength(applied);
  });

  it('applies every record in one transaction, audited, and applies nothing twice when imported again', () => {
    const events = queueInitiations(ws.admin, leads, 3, 800);
    const content = fileOf(
      events.map((eventId, i) => ({
        id: `batch-7-${i}`,
        eventId,
        leadId: leadOf(eventId),
        status: i === 2 ? 'failed' : 'verified',
        reference: `KYC-${i}`,
      })),
    );
    writeFileSync(join(ws.dir, 'results.json'), content);
    expect(importKycResults(ws.admin, { fileName: 'results.json', content }, recordingApplier)).toEqual({
      applied: 3,
      duplicates: 0,
      records: 3,
    });
    const received = entriesOfType(ws.admin, 'kyc.outcome_received').slice(-3);
    expect(received.map((entry) => [entry.payload.source, entry.payload.status, entry.payload.applied])).toEqual([
      ['file', 'verified', true],
      ['file', 'verified', true],
      ['file', 'failed', true],
    ]);
    expect(importKycResults(ws.admin, { fileName: 'results.json', content }, recordingApplier)).toEqual({
      applied: 0,
      duplicates: 3,
      records: 3,
    });
    expect(appliedRows(ws.admin).filter((row) => row.source.startsWith('file:batch-7-'))).toHaveLength(3);
  });
});
