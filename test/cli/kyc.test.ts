// `perimeter kyc configure|deliver|results` (docs/kyc-connector.md): the connector configured from the environment's
// secrets, one delivery pass into a drop folder, and result files refused with exit 1 naming file, record and field,
// or exit 2 when the file cannot be read; nothing written either way.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { importExampleLeads, newSecret, queueInitiations } from '../support/kyc.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

let ws: TestWorkstation;
let events: string[];
const env = { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE };

beforeAll(() => {
  ws = createTestWorkstation();
  events = queueInitiations(ws.admin, importExampleLeads(ws.admin), 4);
  ws.admin.workstation.close();
}, 60_000);

const count = (sql: string): number => {
  const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
  try {
    return (session.workstation.db.prepare(sql).get() as { n: number }).n;
  } finally {
    session.workstation.close();
  }
};

describe('perimeter kyc', () => {
  it('configures a file drop, refuses a bad secret (exit 1), and delivers one pass into the folder', () => {
    const drop = join(ws.dir, 'drop');
    mkdirSync(drop);
    const bad = runCli(
      ['kyc', 'configure', '--db', ws.path, '--connector', 'webhook', '--url', 'http://example.com/x'],
      {
        env: { ...env, PERIMETER_KYC_SECRET: 'not-a-secret' },
      },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('https://');
    expect(bad.stderr).toContain('whsec_');
    const secret = newSecret();
    const configured = runCli(['kyc', 'configure', '--db', ws.path, '--connector', 'file_drop', '--drop-dir', drop], {
      env: { ...env, PERIMETER_KYC_CALLBACK_SECRET: secret },
    });
    expect(configured.status, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ kind: 'file_drop', endpoint: null });
    const delivered = runCli(['kyc', 'deliver', '--db', ws.path], { env });
    expect(delivered.status, delivered.stderr).toBe(0);
    expect(JSON.parse(delivered.stdout)).toEqual({
      connector: 'file_drop',
      attempted: 4,
      delivered: 4,
      failed: 0,
      deadLettered: 0,
    });
    expect(readdirSync(drop).sort()).toEqual(events.map((id) => `${id}.json`).sort());
    expect(count("SELECT count(*) AS n FROM audit_entries WHERE type = 'kyc.connector_configured'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM audit_entries WHERE type = 'kyc.initiation_delivered'")).toBe(4);
  });

  it('refuses a result file naming the file, record and field (exit 1), and an unreadable one (exit 2); writes nothing', () => {
    const file = join(ws.dir, 'results.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'perimeter.kyc-results',
        version: 1,
        results: [
          { id: 'r-1', eventId: events[0], leadId: 'L-0000000000000000', status: 'verified' },
          { id: 'r-2', eventId: events[1], leadId: 'L-0000000000000000', status: 'done' },
        ],
      }),
    );
    const judged = runCli(['kyc', 'results', '--db', ws.path, file], { env });
    expect(judged.status).toBe(1);
    expect(judged.stderr).toContain(`${file}: record 2: status: `);
    const missing = runCli(['kyc', 'results', '--db', ws.path, join(ws.dir, 'none.json')], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('none.json: cannot read');
    expect(count("SELECT count(*) AS n FROM audit_entries WHERE type = 'kyc.outcome_received'")).toBe(0);
  });
});
