// The KYC outbox (decisions 0210, 0214): an initiation commits or rolls back with the caller's transaction, is queued
// once per qualification, holds no personal data; the connector's settings are checked and their secrets kept out of
// the log; the outbox view keeps to the user's markets.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  configureKycConnector,
  enqueueKycInitiation,
  listKycOutbox,
} from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { commit, WorkstationError } from '../../../electron/services/workstation/session/workstation.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import { entriesOfType, importExampleLeads, newSecret, queueInitiations } from '../../support/kyc.ts';

let ws: TestWorkstation;
let leads: string[];

beforeAll(() => {
  ws = createTestWorkstation();
  leads = importExampleLeads(ws.admin);
});

const outboxRows = (): number =>
  (ws.admin.workstation.db.prepare('SELECT count(*) AS n FROM kyc_outbox').get() as { n: number }).n;

describe('enqueueKycInitiation', () => {
  it('queues one event per qualification, in the caller’s transaction, without personal data', () => {
    const [event] = queueInitiations(ws.admin, leads, 1, 10);
    expect(queueInitiations(ws.admin, leads, 1, 10)).toEqual([event]);
    expect(outboxRows()).toBe(1);
    const row = ws.admin.workstation.db.prepare('SELECT body, lead_id FROM kyc_outbox').get() as {
      body: string;
      lead_id: string;
    };
    const body = JSON.parse(row.body) as { type: string; data: Record<string, unknown> };
    expect(body.type).toBe('kyc.initiation.requested');
    expect(body.data).toMatchObject({ eventId: event, leadId: row.lead_id, subject: null, format: 1 });
    const facts = JSON.parse(
      (ws.admin.workstation.db.prepare('SELECT facts FROM leads WHERE id = ?').get(row.lead_id) as { facts: string })
        .facts,
    ) as { customerType: string };
    expect(body.data.customerType).toBe(facts.customerType);
    const personal = ws.admin.workstation.db
      .prepare('SELECT p.data FROM leads l JOIN audit_personal_data p ON p.sequence = l.ingested_seq WHERE l.id = ?')
      .get(row.lead_id) as { data: Buffer };
    const name = JSON.parse(personal.data.toString('utf8')) as {
      person?: { fullName: string };
      company?: { name: string };
    };
    expect(row.body).not.toContain(name.person?.fullName ?? name.company!.name);
    expect(entriesOfType(ws.admin, 'kyc.initiation_queued')).toHaveLength(1);
    expect(entriesOfType(ws.admin, 'kyc.initiation_queued')[0]).toMatchObject({
      actor: 'user:ada',
      payload: { eventId: event, pathSequence: '10', customerType: facts.customerType },
    });
  });

  it('rolls back with a transition that fails after it', () => {
    const before = outboxRows();
    const queued = entriesOfType(ws.admin, 'kyc.initiation_queued').length;
    expect(() =>
      commit(ws.admin.workstation, (append) => {
        enqueueKycInitiation(
          { db: ws.admin.workstation.db, append },
          {
            leadId: leads[0]!,
            productId: 'payments',
            jurisdiction: 'GB',
            ruleVersion: 'sha256:x',
            requestedBy: 'user:ada',
            at: '2026-11-23T10:00:00.000Z',
            pathSequence: 20,
          },
        );
        throw new Error('the transition failed after the enqueue');
      }),
    ).toThrow('the transition failed');
    expect(outboxRows()).toBe(before);
    expect(entriesOfType(ws.admin, 'kyc.initiation_queued')).toHaveLength(queued);
  });
});

describe('configureKycConnector', () => {
  it('refuses plain http beyond 127.0.0.1, credentials in the URL, weak secrets and a relative folder', () => {
    const problem = (input: Parameters<typeof configureKycConnector>[1]): string => {
      try {
        configureKycConnector(ws.admin, input);
      } catch (error) {
        expect(error).toBeInstanceOf(WorkstationError);
        return (error as Error).message;
      }
      throw new Error('should have been refused');
    };
    expect(problem({ kind: 'webhook', url: 'http://kyc.example.com/x', secret: newSecret() })).toContain('https://');
    expect(problem({ kind: 'webhook', url: 'https://u:p@kyc.example.com/x', secret: newSecret() })).toContain(
      'credentials',
    );
    expect(problem({ kind: 'webhook', url: 'https://kyc.example.com/x', secret: 'whsec_c2hvcnQ=' })).toContain(
      '24 to 64 bytes',
    );
    expect(problem({ kind: 'webhook', url: 'https://kyc.example.com/x' })).toContain('signing secret');
    expect(problem({ kind: 'file_drop', dropDir: 'relative/dir' })).toContain('absolute');
  });

  it('keeps the secrets out of the log, naming them by key id, and is refused to a user without every market', () => {
    const secret = newSecret();
    const result = configureKycConnector(ws.admin, {
      kind: 'webhook',
      url: 'https://kyc.example.com:8443/perimeter?x=1',
      secret,
    });
    expect(result).toMatchObject({ kind: 'webhook', endpoint: 'https://kyc.example.com:8443' });
    const entry = entriesOfType(ws.admin, 'kyc.connector_configured').at(-1)!;
    expect(entry.payload.secretKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(entry.payload.callbackSecretKeyId).toBeNull();
    expect(JSON.stringify(entry)).not.toContain(secret.slice(6, 30));
    const ukAdmin = addUser(ws, 'ukops', ['operations_admin'], ['UK']);
    expect(() => configureKycConnector(ukAdmin, { kind: 'none' })).toThrow(/every market/);
    const auditor = addUser(ws, 'aud', ['auditor'], ['*']);
    expect(() => configureKycConnector(auditor, { kind: 'none' })).toThrow(/kyc\.configure/);
  });
});

describe('listKycOutbox', () => {
  it('shows a user the events of their markets only, with counts to match', () => {
    queueInitiations(ws.admin, leads, 2, 30);
    const all = listKycOutbox(ws.admin, {});
    expect(all.events.length).toBe(all.counts.pending + all.counts.delivered + all.counts.dead);
    const senior = addUser(ws, 'frsenior', ['senior_officer'], ['FR']);
    const mine = listKycOutbox(senior, {});
    // Every event queued here is a GB path: none is inside France.
    expect(mine.events).toEqual([]);
    expect(mine.counts).toEqual({ pending: 0, delivered: 0, dead: 0 });
  });
});
