// Shared fixtures for the storage benchmarks: the real lists imported into a list directory, and generated leads
// carrying real-looking person names (from the negatives evaluation set) so screening does real work.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead } from '../../core/routing/lead.ts';
import type { Role } from '../../core/access/roles.ts';
import { handleApiCall } from '../../electron/services/workstation/api.ts';
import { createUser } from '../../electron/services/workstation/users.ts';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { Session, WorkstationDeps } from '../../electron/services/workstation/workstation.ts';
import { generateLeads } from '../routing/generate.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const sharedData = join(repoRoot, '..', 'shared', 'data');

const LIST_IMPORTS: readonly [string, string[]][] = [
  [
    'ofac-sdn-csv',
    [
      'sanctions/ofac-sdn-2021/sdn.csv',
      'sanctions/ofac-sdn-2021/add.csv',
      'sanctions/ofac-sdn-2021/alt.csv',
      'sanctions/ofac-sdn-2021/sdn_comments.csv',
    ],
  ],
  ['ofac-enhanced-xml', ['sanctions/ofac-consolidated-2025/CONS_ENHANCED.ZIP']],
  ['un-xml', ['sanctions/un/UN_consolidated-2026-02-27.xml']],
  ['senzing-json', ['pep/us_congress_senzing.jsonl']],
];

/** Imports every real list with the real CLI (`perimeter lists import`) into `dir`. */
export const importRealLists = (dir: string): void => {
  for (const [source, files] of LIST_IMPORTS) {
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'electron', 'cli', 'main.ts'),
        'lists',
        'import',
        '--lists',
        dir,
        '--source',
        source,
        ...files.map((file) => join(sharedData, file)),
      ],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`lists import ${source} failed: ${run.stderr}`);
  }
};

/** Generated leads (bench/routing/generate.ts) for the generated map, half of them with a person from the negatives set. */
export const benchLeads = (count: number): Lead[] => {
  const people = parse(readFileSync(join(sharedData, 'eval', 'screening', 'negatives_global.csv'), 'utf8'), {
    columns: true,
  }) as { full_name: string; date_of_birth: string }[];
  return generateLeads(11, count).map((input, i) => {
    const person = people[i % people.length]!;
    const { screening: _ignored, ...rest } = input;
    return LeadSchema.parse({
      ...rest,
      ...(i % 2 === 0 ? { person: { fullName: person.full_name, dateOfBirth: person.date_of_birth } } : {}),
    });
  });
};

export type FixtureCase = {
  readonly id: string;
  readonly type: string;
  readonly leadId: string;
  readonly risk: 'low' | 'medium' | 'high';
  readonly jurisdiction: string | null;
  readonly openedAt: Date;
  readonly slaDueAt: Date;
  readonly status: 'open' | 'claimed' | 'awaiting_approval' | 'closed';
  readonly claimedBy: string | null;
  readonly makerId: string | null;
  readonly subject: string;
};

/**
 * Writes projection rows directly (benchmarks of reads; intake speed is bench/store/intake.ts): leads, cases and the
 * case counters kept consistent with them. Call inside a transaction; `finish` writes the counters.
 */
export const caseFixtureWriter = (
  db: BetterSqlite3.Database,
): {
  readonly lead: (id: string, jurisdiction: string | null, subject: string) => void;
  readonly addCase: (row: FixtureCase) => void;
  readonly finish: () => void;
} => {
  const lead = db.prepare(
    "INSERT INTO leads (id, source_system, source_id, facts, jurisdiction, scope, subject, status, ingested_at, ingested_seq) VALUES (?, 'bench', ?, '{}', ?, ?, ?, 'active', '2026-01-01T00:00:00.000Z', 0)",
  );
  const kase = db.prepare(
    `INSERT INTO cases (id, type, lead_id, product_id, reason, risk, risk_rank, jurisdiction, rule_version, opened_at, sla_due_at, status, claimed_by, maker_id, subject, decision_seq, opened_seq)
     VALUES (?, ?, ?, 'business-payments', 'no_licensed_entity', ?, ?, ?, 'sha256:bench', ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const counts = new Map<string, number>();
  return {
    lead: (id, jurisdiction, subject) => lead.run(id, id, jurisdiction, jurisdiction, subject),
    addCase: (row) => {
      const rank = row.risk === 'low' ? 0 : row.risk === 'medium' ? 1 : 2;
      kase.run(
        row.id,
        row.type,
        row.leadId,
        row.risk,
        rank,
        row.jurisdiction,
        row.openedAt.toISOString(),
        row.slaDueAt.toISOString(),
        row.status,
        row.claimedBy,
        row.makerId,
        row.subject,
      );
      const key = `${row.type}|${row.status}|${row.jurisdiction ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    finish: () => {
      const count = db.prepare(
        'INSERT INTO case_counts (type, status, jurisdiction, count) VALUES (?, ?, ?, ?) ON CONFLICT (type, status, jurisdiction) DO UPDATE SET count = count + excluded.count',
      );
      for (const [key, n] of counts) count.run(...key.split('|'), n);
    },
  };
};

export type BenchUser = { readonly id: string; readonly roles: readonly Role[]; readonly markets: readonly string[] };

/**
 * A fresh encrypted workstation on the fintech example policy, signed in as its administrator, with each of `users`
 * created and signed in too (passphrase `<id> benchmark passphrase`).
 */
export const benchWorkstation = (
  input: { readonly path: string; readonly logId: string; readonly deps: WorkstationDeps },
  users: readonly BenchUser[],
): { readonly admin: Session; readonly sessions: Readonly<Record<string, Session>> } => {
  const admin = initialiseWorkstation(
    {
      path: input.path,
      logId: input.logId,
      admin: { id: 'bench', name: 'Bench', passphrase: 'benchmark passphrase' },
      policyText: readFileSync(join(repoRoot, 'resources', 'examples', 'fintech', 'policy.yaml'), 'utf8'),
    },
    input.deps,
  );
  const sessions: Record<string, Session> = {};
  for (const user of users) {
    const passphrase = `${user.id} benchmark passphrase`;
    createUser(admin, { id: user.id, name: user.id, roles: [...user.roles], markets: [...user.markets], passphrase });
    sessions[user.id] = openWorkstation({ path: input.path, userId: user.id, passphrase }, input.deps);
  }
  return { admin, sessions };
};

/**
 * Calls one api method `queries` times through handleApiCall (validation, access checks, the query, the response
 * check) and prints p50 and p99 of the calls, `digits` decimals, the label padded to `width`.
 */
export const measureApiLatency = (
  options: { readonly queries: number; readonly digits: number; readonly width: number },
  label: string,
  session: Session,
  method: string,
  request: () => unknown,
): void => {
  const times: number[] = [];
  for (let i = 0; i < options.queries; i += 1) {
    const body = request();
    const t0 = performance.now();
    const reply = handleApiCall(session, method, body);
    times.push(performance.now() - t0);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): string =>
    times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(options.digits);
  console.log(`${label.padEnd(options.width)} p50 ${at(0.5).padStart(7)} ms   p99 ${at(0.99).padStart(7)} ms`);
};
