// One screening configuration (issue 12, section 7): `perimeter serve` screens with the active policy's thresholds —
// also one published while it runs — and every lead.screened entry records the thresholds and list versions used.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../core/policy/parse.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { publishPolicy } from '../../electron/services/workstation/commands/policy-admin.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { examplesDir, repoRoot, sharedData } from '../support/examples.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation, leadIdOf } from '../support/workstation.ts';

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');

describe('perimeter serve screens with the published policy’s thresholds', () => {
  const ws = createTestWorkstation();
  ws.admin.workstation.close();
  const lists = join(ws.dir, 'lists');

  it('records 0.85/0.93 under the example policy, and the new thresholds once a policy with others is published', async () => {
    expect(
      runCli([
        'lists',
        'import',
        '--lists',
        lists,
        '--source',
        'un-xml',
        join(sharedData, 'sanctions', 'un', 'UN_consolidated-2026-02-27.xml'),
      ]).status,
    ).toBe(0);
    const started = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [join(repoRoot, 'electron', 'cli', 'main.ts'), 'serve', '--db', ws.path, '--lists', lists],
      { cwd: repoRoot, env: process.env },
    );
    try {
      let out = '';
      started.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      const until = Date.now() + 60_000;
      while (!/#token=/.test(out) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      const [, port, token] = /127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out)!;
      const api = async (method: string, body: unknown): Promise<{ ok: boolean; value?: unknown }> =>
        (await (
          await fetch(`http://127.0.0.1:${port}/api/${method}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          })
        ).json()) as { ok: boolean; value?: unknown };
      expect((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).ok).toBe(true);
      // UN list: FRANK KAKOLELE BWAMBALE. "Frank Bwambali" scores 0.893: a potential match at 0.85/0.93, a strong one at 0.5/0.6.
      const lead = (id: string) => ({
        id,
        customerType: 'professional',
        kycStatus: 'verified',
        amlDocumentation: 'complete',
        productInterests: ['business-payments'],
        person: { fullName: 'Frank Bwambali' },
        targetMarket: 'UK',
      });
      expect((await api('leads.add', { lead: lead('L-BEFORE'), sourceSystem: 'form' })).ok).toBe(true);

      // Another process publishes a policy with other thresholds while serve runs.
      const text = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')
        .replace('potentialMatchThreshold: 0.85', 'potentialMatchThreshold: 0.5')
        .replace('strongMatchThreshold: 0.93', 'strongMatchThreshold: 0.6');
      const parsed = parsePolicyText(text, nodeSha256);
      if (!parsed.ok) throw new Error('the changed policy is invalid');
      const admin = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
      publishPolicy(admin, {
        fileName: 'policy.yaml',
        text,
        ruleVersion: parsed.value.version,
        activeRuleVersion: admin.workstation.policy().loaded.version,
        reason: 'stricter screening thresholds',
      });
      admin.workstation.close();
      expect((await api('leads.add', { lead: lead('L-AFTER'), sourceSystem: 'form' })).ok).toBe(true);
    } finally {
      started.kill('SIGTERM');
    }

    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    const screened = session.workstation.db
      .prepare<[], { canonical: Buffer }>('SELECT canonical FROM audit_entries ORDER BY sequence')
      .all()
      .map((row) => JSON.parse(row.canonical.toString('utf8')) as { type: string; payload: Record<string, unknown> })
      // A lead's screening is in its lead.intake entry (decision 0263).
      .filter((entry) => entry.type === 'lead.intake' && entry.payload.screening !== null)
      .map((entry) => ({ leadId: entry.payload.leadId, ...(entry.payload.screening as Record<string, unknown>) }));
    const [before, after] = [leadIdOf(session, 'L-BEFORE'), leadIdOf(session, 'L-AFTER')];
    session.workstation.close();
    const listVersions = [{ listId: expect.any(String), version: expect.any(String) }];
    expect(screened).toEqual([
      expect.objectContaining({
        leadId: before,
        outcome: 'potential',
        thresholds: { potential: 0.85, strong: 0.93 },
        listVersions,
      }),
      expect.objectContaining({
        leadId: after,
        outcome: 'strong',
        thresholds: { potential: 0.5, strong: 0.6 },
        listVersions,
      }),
    ]);
  }, 180_000);
});

describe('perimeter leads import records what it screened with', () => {
  it('an all-or-nothing import, screened before its one transaction, records the policy’s thresholds', () => {
    const ws = createTestWorkstation();
    ws.admin.workstation.close();
    const lists = join(ws.dir, 'lists');
    expect(
      runCli([
        'lists',
        'import',
        '--lists',
        lists,
        '--source',
        'un-xml',
        join(sharedData, 'sanctions', 'un', 'UN_consolidated-2026-02-27.xml'),
      ]).status,
    ).toBe(0);
    const file = join(ws.dir, 'one.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        id: 'L-ALL',
        customerType: 'professional',
        kycStatus: 'verified',
        amlDocumentation: 'complete',
        productInterests: ['business-payments'],
        person: { fullName: 'Frank Bwambali' },
        targetMarket: 'UK',
      })}\n`,
    );
    const run = runCli(['leads', 'import', '--db', ws.path, '--user', 'ada', '--lists', lists, '--mode', 'all', file], {
      env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE },
    });
    expect(run.status).toBe(0);
    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    const screened = session.workstation.db
      .prepare<[], { canonical: Buffer }>('SELECT canonical FROM audit_entries ORDER BY sequence')
      .all()
      .map((row) => JSON.parse(row.canonical.toString('utf8')) as { type: string; payload: Record<string, unknown> })
      .filter((entry) => entry.type === 'lead.intake' && entry.payload.screening !== null);
    const all = leadIdOf(session, 'L-ALL');
    session.workstation.close();
    expect(
      screened.map((entry) => ({
        leadId: entry.payload.leadId,
        ...(entry.payload.screening as Record<string, unknown>),
      })),
    ).toEqual([
      expect.objectContaining({
        leadId: all,
        outcome: 'potential',
        thresholds: { potential: 0.85, strong: 0.93 },
        listVersions: [{ listId: 'un-sc-consolidated', version: expect.any(String) }],
      }),
    ]);
  }, 120_000);
});
