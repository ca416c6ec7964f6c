// The demo workstation `npm start` opens for a newcomer: the example fintech policy, users of every role in different
// markets, the demo's sanctions extract as the active lists, the example leads plus generated ones screened against it,
// and open cases in several queues, one of them already awaiting a second officer's approval.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../../core/access/roles.ts';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';
import { primaryName } from '../../../core/screening/model.ts';
import { importList, loadActiveSnapshots } from '../lists/store.ts';
import { formatRejection } from '../lists/rejection.ts';
import type { ScryptCost } from '../store/key-slots.ts';
import { handleApiCall } from '../workstation/api/api.ts';
import { loadLeadScreener } from '../workstation/commands/screener.ts';
import type { ScreeningThresholds } from '../workstation/commands/screener.ts';
import { initialiseWorkstation, openWorkstationWithKey } from '../workstation/session/workstation.ts';
import type { Session } from '../workstation/session/workstation.ts';
import { generateDemoLeads } from './demo-leads.ts';
import type { ListedName } from './demo-leads.ts';

export type DemoUser = {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly markets: readonly string[];
  /** What this user is in the demo for, in a few words. */
  readonly purpose: string;
};

/**
 * The first user is the workstation's first (operations admin and senior officer, every market) and the second its
 * second operations admin, both created at initialisation; ada requests the others and omar approves them (decision
 * 0160), so the people ada asked for are never second eyes on ada's decisions, nor she on theirs (decision 0161).
 */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'ada',
    name: 'Ada Adeyemi',
    roles: ['operations_admin', 'senior_officer'],
    markets: ['*'],
    purpose: 'operations admin: users, licensing map, key rotation',
  },
  {
    id: 'omar',
    name: 'Omar Haddad',
    roles: ['operations_admin'],
    markets: ['*'],
    purpose: "second operations admin: approves ada's user and policy changes",
  },
  {
    id: 'olga',
    name: 'Olga Lindqvist',
    roles: ['compliance_officer'],
    markets: ['UK', 'EU-Passported'],
    purpose: 'compliance officer for the UK and EU queues',
  },
  {
    id: 'uma',
    name: 'Uma Ramirez',
    roles: ['compliance_officer'],
    markets: ['US-CA', 'Federal-Regulated'],
    purpose: 'compliance officer for the US queues',
  },
  {
    id: 'sam',
    name: 'Sam Okonkwo',
    roles: ['senior_officer'],
    markets: ['*'],
    purpose: 'senior officer: second approval (four-eyes)',
  },
  {
    id: 'avery',
    name: 'Avery Chen',
    roles: ['auditor'],
    markets: ['*'],
    purpose: 'auditor: audit log, exports, verifier',
  },
  // A field rep is a rep of the policy under the same id (the UK SME desk's Olivia), so routing assigns her paths and
  // My leads shows them: a field rep who is no rep of the policy would see nothing there.
  {
    id: 'rep-olivia',
    name: 'Olivia Bennett',
    roles: ['field_rep'],
    markets: ['UK'],
    purpose: 'field rep (UK SME desk): My leads, adds leads by hand',
  },
];

export type DemoOptions = {
  /** An empty directory: the database, its key slots and the list directory go here. */
  readonly dir: string;
  /** The repository's resources/ folder (the example policy and leads, the demo's lists). */
  readonly resources: string;
  readonly now: () => Date;
  /** How many leads to generate besides the examples. */
  readonly generatedLeads?: number;
  readonly seed?: number;
  /** Each user's initial passphrase; random (20 characters) unless given. */
  readonly passphraseFor?: (userId: string) => string;
  /** Production cost unless given (tests pass a cheap one). */
  readonly scryptCost?: ScryptCost;
};

export type DemoWorkstation = {
  readonly dbPath: string;
  readonly listsDir: string;
  readonly thresholds: ScreeningThresholds;
  readonly users: readonly (DemoUser & { readonly passphrase: string })[];
  readonly lists: readonly { readonly listId: string; readonly entries: number; readonly publishedAt: string | null }[];
  readonly leadsImported: number;
  readonly casesOpened: number;
  /** Cases in the screening queue: leads whose parties matched a listed entry. */
  readonly screeningCases: number;
  /** The case left awaiting a second officer's approval (olga decided it; sam may approve, not ada who asked for olga). */
  readonly awaitingApproval: string | null;
  /** A meta-action ada requested, awaiting omar's approval (rep-olivia's markets widened). */
  readonly pendingRequest: string;
};

export const DEMO_SEED = 20261207;
/** The leads arrive over this many days before the demo starts. */
export const DEMO_DAYS = 7;
const DAY_MS = 86_400_000;
export const DEMO_GENERATED_LEADS = 3_000;

/** Builds the demo workstation in `options.dir`; throws if any step is refused (the demo data is ours). */
export const buildDemoWorkstation = async (options: DemoOptions): Promise<DemoWorkstation> => {
  const examples = join(options.resources, 'examples', 'fintech');
  const demoLists = join(options.resources, 'demo', 'lists');
  const policyText = readFileSync(join(examples, 'policy.yaml'), 'utf8');
  const parsed = parsePolicyText(policyText, nodeSha256);
  if (!parsed.ok) throw new Error(`the example fintech policy is invalid: ${JSON.stringify(parsed.error[0])}`);
  const thresholds: ScreeningThresholds = parsed.value.policy.screening;

  // The lists first, exactly as `perimeter lists import` writes them, so `serve --lists` screens against the same.
  const listsDir = join(options.dir, 'lists');
  mkdirSync(listsDir, { recursive: true });
  const builtAt = options.now().getTime();
  const weekStart = builtAt - DEMO_DAYS * DAY_MS;
  const importedAt = new Date(weekStart).toISOString();
  const sdnDir = join(demoLists, 'ofac-sdn');
  const sources = [
    { source: 'ofac-sdn-csv', files: readdirSync(sdnDir).map((name) => join(sdnDir, name)) },
    { source: 'un-xml', files: [join(demoLists, 'un', 'UN_consolidated-2026-02-27-demo.xml')] },
  ] as const;
  const lists = [];
  for (const { source, files } of sources) {
    const outcome = await importList(listsDir, { source, files, importedAt });
    if (!outcome.ok) throw new Error(`the demo list ${source} was refused: ${formatRejection(outcome.error)}`);
    const { version } = outcome.value;
    lists.push({ listId: version.listId, entries: version.counts['entries'] ?? 0, publishedAt: version.publishedAt });
  }
  const listed: ListedName[] = (await loadActiveSnapshots(listsDir)).flatMap((snapshot) =>
    snapshot.entries.flatMap((entry): ListedName[] =>
      entry.type === 'person' || entry.type === 'company' ? [{ name: primaryName(entry), type: entry.type }] : [],
    ),
  );
  const screener = await loadLeadScreener(listsDir);

  const passphraseFor = options.passphraseFor ?? (() => randomBytes(15).toString('base64url'));
  const users = DEMO_USERS.map((user) => ({ ...user, passphrase: passphraseFor(user.id) }));
  const [first, second, ...others] = users;
  const dbPath = join(options.dir, 'workstation.db');
  // The demo's week: the workstation is set up seven days before now and the leads arrive a day at a time, so queues
  // age, SLAs run out and the dashboard has a history; the last step (olga's decision) is an hour ago.
  let clock = weekStart;
  const deps = {
    now: () => new Date(clock),
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
  };
  const admin = initialiseWorkstation(
    {
      path: dbPath,
      logId: `demo-${randomBytes(4).toString('hex')}`,
      admin: { id: first!.id, name: first!.name, passphrase: first!.passphrase },
      secondAdmin: { id: second!.id, name: second!.name, passphrase: second!.passphrase },
      policyText,
    },
    deps,
    screener,
  );
  const sessions: Session[] = [admin];
  try {
    // Ada requests each user and omar approves (the example policy puts user.create under a second approval).
    const approver = openWorkstationWithKey({ path: dbPath, userId: second!.id, key: admin.workstation.key() }, deps);
    sessions.push(approver);
    const applied = (reply: unknown, what: string): void => {
      const pending = (reply as { pending?: { id: string } }).pending;
      if (pending)
        expectOk(handleApiCall(approver, 'approvals.approve', { requestId: pending.id }), `approving ${what}`);
    };
    for (const user of others)
      applied(
        expectOk(
          handleApiCall(admin, 'users.create', {
            id: user.id,
            name: user.name,
            roles: user.roles,
            markets: user.markets,
            passphrase: user.passphrase,
          }),
          `creating user ${user.id}`,
        ),
        `user ${user.id}`,
      );

    const generated = generateDemoLeads({
      seed: options.seed ?? DEMO_SEED,
      count: options.generatedLeads ?? DEMO_GENERATED_LEADS,
      listed,
    });
    let leadsImported = 0;
    let casesOpened = 0;
    const perDay = Math.ceil(generated.length / DEMO_DAYS);
    const files: [string, string][] = [['leads.jsonl', readFileSync(join(examples, 'leads.jsonl'), 'utf8')]];
    for (let day = 0; day < DEMO_DAYS; day += 1) {
      const batch = generated.slice(day * perDay, (day + 1) * perDay);
      if (batch.length > 0)
        files.push([
          `generated-leads-day-${day + 1}.jsonl`,
          batch.map((lead) => JSON.stringify(lead)).join('\n') + '\n',
        ]);
    }
    for (const [index, [fileName, content]] of files.entries()) {
      // The examples and the first day's leads a minute apart on day one; each next day's file a day later.
      clock = weekStart + Math.max(0, index - 1) * DAY_MS + 60_000 * (index + 1);
      const result = expectOk(
        handleApiCall(admin, 'leads.import', {
          fileName,
          format: 'jsonl',
          content,
          mode: 'valid',
          sourceSystem: 'demo',
        }),
        `importing ${fileName}`,
      ) as { imported: number; casesOpened: number };
      leadsImported += result.imported;
      casesOpened += result.casesOpened;
    }
    const screeningQueue = expectOk(
      handleApiCall(admin, 'cases.list', { queue: 'screening_review' }),
      'counting the screening queue',
    ) as { total: number };

    // Olga's session opens with the database key the builder already holds, as a keychain sign-in does: one scrypt
    // derivation (a second or so) less before the URL is printed.
    clock = builtAt - 3_600_000;
    const olga = openWorkstationWithKey({ path: dbPath, userId: 'olga', key: admin.workstation.key() }, deps);
    sessions.push(olga);
    const awaitingApproval = leaveOneForFourEyes(olga);
    // And one meta-action left for omar's "awaiting my approval": Olivia is to cover the EU too.
    const request = expectOk(
      handleApiCall(admin, 'users.setMarkets', {
        userId: 'rep-olivia',
        markets: ['UK', 'EU-Passported'],
        reason: 'Olivia joins the EU field team next week (demo)',
      }),
      "requesting rep-olivia's markets",
    ) as { pending?: { id: string } };
    if (!request.pending) throw new Error("rep-olivia's market change should await a second admin's approval");
    return {
      dbPath,
      listsDir,
      thresholds,
      users,
      lists,
      leadsImported,
      casesOpened,
      screeningCases: screeningQueue.total,
      awaitingApproval,
      pendingRequest: request.pending.id,
    };
  } finally {
    for (const session of sessions) session.workstation.close();
  }
};

const expectOk = (
  reply: { ok: true; value: unknown } | { ok: false; error: { message: string } },
  what: string,
): unknown => {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.message}`);
  return reply.value;
};

/** Olga takes a high-risk screening case in her markets and decides it, so the approval queue has one for sam. */
const leaveOneForFourEyes = (session: Session): string | null => {
  const page = expectOk(
    handleApiCall(session, 'cases.list', { queue: 'screening_review', status: ['open'] }),
    'listing the screening queue',
  ) as { rows: { id: string; risk: string }[] };
  const kase = page.rows.find((row) => row.risk === 'high');
  if (kase === undefined) return null;
  expectOk(handleApiCall(session, 'cases.claim', { caseId: kase.id }), `claiming ${kase.id}`);
  expectOk(
    handleApiCall(session, 'cases.decide', {
      caseId: kase.id,
      disposition: 'confirm_match',
      reason: 'Name, country and programme match the listed entry (demo)',
    }),
    `deciding ${kase.id}`,
  );
  return kase.id;
};
