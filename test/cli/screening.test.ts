// The real `perimeter lists` and `perimeter screen` commands, run as a user runs them, on the real list files.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..');
const data = join(repoRoot, '..', 'shared', 'data');
const node = join(repoRoot, 'node_modules', '.bin', 'node');
const cli = join(repoRoot, 'electron', 'cli', 'main.ts');

type Run = { code: number; stdout: string; stderr: string };
const perimeter = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(node, [cli, ...args], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 99;
      resolve({ code, stdout, stderr });
    });
  });
const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let dir: string;
let lists: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perimeter-cli-'));
  lists = join(dir, 'lists');
  const un = await perimeter(
    'lists',
    'import',
    '--lists',
    lists,
    '--source',
    'un-xml',
    join(data, 'sanctions', 'un', 'UN_consolidated-2026-02-27.xml'),
  );
  expect(un.code, un.stderr).toBe(0);
  const block = await perimeter(
    'lists',
    'import',
    '--lists',
    lists,
    '--source',
    'blocklist',
    join(data, 'sanctions', 'blocked.txt'),
  );
  expect(block.code, block.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('perimeter lists', () => {
  it('shows the active versions with counts and hashes', async () => {
    const shown = await perimeter('lists', 'show', '--lists', lists, '--json');
    expect(shown.code).toBe(0);
    const { lists: active } = JSON.parse(shown.stdout) as { lists: Record<string, unknown>[] };
    expect(active.map((list) => list.listId)).toEqual(['internal-blocklist', 'un-sc-consolidated']);
    expect(active[1]).toMatchObject({
      source: 'un-xml',
      publishedAt: '2026-02-27T00:00:09.554Z',
      counts: { entries: 1003, individuals: 730, entities: 273, originalScriptNames: 378 },
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const text = await perimeter('lists', 'show', '--lists', lists);
    expect(text.stdout).toContain('un-sc-consolidated  version');
  });

  it('prints the version and the diff against the previous version', async () => {
    const sdnLists = join(dir, 'sdn');
    const first = await perimeter(
      'lists',
      'import',
      '--lists',
      sdnLists,
      '--source',
      'ofac-sdn-csv',
      join(data, 'sanctions', 'ofac-sdn-2019'),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('first version: 7379 entries');
    const second = await perimeter(
      'lists',
      'import',
      '--lists',
      sdnLists,
      '--source',
      'ofac-sdn-csv',
      '--json',
      join(data, 'sanctions', 'ofac-sdn-2021'),
    );
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout) as {
      status: string;
      diff: { added: unknown[]; removed: unknown[]; changed: unknown[] };
    };
    expect(result.status).toBe('activated');
    expect([result.diff.added.length, result.diff.removed.length, result.diff.changed.length]).toEqual([
      1858, 261, 841,
    ]);
  }, 60_000);

  it('refuses a malformed file with exit 1, naming file, line and reason, and keeps the active version', async () => {
    const before = JSON.parse((await perimeter('lists', 'show', '--lists', lists, '--json')).stdout) as unknown;
    const run = await perimeter(
      'lists',
      'import',
      '--lists',
      lists,
      '--source',
      'csl-csv',
      join(data, 'sanctions', 'malformed', 'csl.csv'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('csl.csv:2: expected 28 fields, found 2');
    expect(run.stderr).toContain('nothing imported');
    expect(JSON.parse((await perimeter('lists', 'show', '--lists', lists, '--json')).stdout)).toEqual(before);
  });

  it('exits 2 for a missing file or an unknown source kind', async () => {
    expect(
      (await perimeter('lists', 'import', '--lists', lists, '--source', 'un-xml', join(dir, 'nope.xml'))).code,
    ).toBe(2);
    const unknown = await perimeter(
      'lists',
      'import',
      '--lists',
      lists,
      '--source',
      'eu-fsf',
      join(data, 'sanctions', 'blocked.txt'),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--source');
  });
});

describe('perimeter screen', () => {
  it('prints one JSON result per input row, with outcome, explained hits and list versions', async () => {
    const input = join(dir, 'names.csv');
    await writeFile(
      input,
      'ref,name,date_of_birth,nationality\n' +
        'c1,SADDAM HUSSEIN AL-TIKRITI,1937-04-28,iq\n' +
        'c2,Jane Q. Public,1980-01-01,gb\n' +
        'c3,Nicolas Ernesto Maduro Guerra,,\n' +
        'c4,صدام حسين التكريتي,,\n',
    );
    const run = await perimeter('screen', '--lists', lists, '--input', input);
    expect(run.code, run.stderr).toBe(0);
    const results = jsonLines(run.stdout);
    expect(results.map((result) => [result.ref, result.outcome])).toEqual([
      ['c1', 'strong'],
      ['c2', 'clear'],
      ['c3', 'strong'],
      ['c4', 'strong'],
    ]);
    const hit = (results[0]!.hits as Record<string, unknown>[])[0]!;
    expect(hit).toMatchObject({
      listId: 'un-sc-consolidated',
      listKind: 'sanctions',
      review: 'screening_review',
      entryId: 'IQi.001',
      strength: 'strong',
      parts: { name: 1, dateOfBirth: 0.08, nationality: 0.03 },
    });
    expect((results[2]!.hits as Record<string, unknown>[])[0]).toMatchObject({
      listKind: 'blocklist',
      review: 'compliance_review',
    });
    expect(results[0]!.lists).toEqual([
      { listId: 'internal-blocklist', version: expect.stringMatching(/^[0-9a-f]{16}$/) },
      { listId: 'un-sc-consolidated', version: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    expect(results[0]!.thresholds).toEqual({ potential: 0.85, strong: 0.93 });
  }, 30_000);

  it('reads JSON Lines, explains on request and lets --threshold move the potential threshold', async () => {
    const input = join(dir, 'names.jsonl');
    await writeFile(
      input,
      '{"id":"x1","name":"Nicolas Guerra","type":"person"}\n{"id":"x2","name":"Ali Wahib Zain"}\n',
    );
    const explained = jsonLines((await perimeter('screen', '--lists', lists, '--input', input, '--explain')).stdout);
    const hit = (explained[0]!.hits as { explanation: { alignments: unknown[]; nameScore: number } }[])[0]!;
    expect(hit.explanation.alignments.length).toBeGreaterThan(0);
    expect(explained.map((result) => result.outcome)).toEqual(['potential', 'strong']);
    const strict = jsonLines(
      (await perimeter('screen', '--lists', lists, '--input', input, '--threshold', '0.9')).stdout,
    );
    expect(strict.map((result) => result.outcome)).toEqual(['clear', 'strong']);
  }, 30_000);

  it("takes the thresholds from a policy file's screening section, and refuses a second source beside it", async () => {
    const input = join(dir, 'policy-names.jsonl');
    await writeFile(input, '{"id":"x1","name":"Nicolas Guerra","type":"person"}\n');
    const fintech = join(repoRoot, 'resources', 'examples', 'fintech', 'policy.yaml');
    const strict = join(dir, 'strict-policy.yaml');
    await writeFile(
      strict,
      (await readFile(fintech, 'utf8')).replace('potentialMatchThreshold: 0.85', 'potentialMatchThreshold: 0.9'),
    );
    const example = jsonLines(
      (await perimeter('screen', '--lists', lists, '--input', input, '--policy', fintech)).stdout,
    );
    expect(example.map((result) => [result.outcome, result.thresholds])).toEqual([
      ['potential', { potential: 0.85, strong: 0.93 }],
    ]);
    const moved = jsonLines((await perimeter('screen', '--lists', lists, '--input', input, '--policy', strict)).stdout);
    expect(moved.map((result) => [result.outcome, result.thresholds])).toEqual([
      ['clear', { potential: 0.9, strong: 0.93 }],
    ]);
    const both = await perimeter(
      'screen',
      '--lists',
      lists,
      '--input',
      input,
      '--policy',
      fintech,
      '--threshold',
      '0.9',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--policy gives the thresholds');
    const broken = join(dir, 'broken-policy.yaml');
    await writeFile(broken, 'name: [unclosed\n');
    const refused = await perimeter('screen', '--lists', lists, '--input', input, '--policy', broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('broken-policy.yaml:');
    expect(refused.stdout).toBe('');
  }, 30_000);

  it('screens on worker threads with the same results', async () => {
    const input = join(dir, 'many.csv');
    const names = ['SADDAM HUSSEIN AL-TIKRITI', 'John Smith', 'Ali Wahib AL-ZAIN', 'Maria Garcia'];
    await writeFile(input, `name\n${Array.from({ length: 40 }, (_, i) => names[i % names.length]).join('\n')}\n`);
    const single = jsonLines((await perimeter('screen', '--lists', lists, '--input', input, '--workers', '1')).stdout);
    const threaded = jsonLines(
      (await perimeter('screen', '--lists', lists, '--input', input, '--workers', '2')).stdout,
    );
    const strip = (results: Record<string, unknown>[]) => results.map(({ screenedAt: _, ...rest }) => rest);
    expect(strip(threaded)).toEqual(strip(single));
    expect(threaded).toHaveLength(40);
  }, 60_000);

  it('refuses an input row without a name with exit 1, naming line and field', async () => {
    const input = join(dir, 'bad.csv');
    await writeFile(input, 'name,date_of_birth\nJohn Smith,1970\n,1980\nJane Doe,19xx\n');
    const run = await perimeter('screen', '--lists', lists, '--input', input);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.csv:3: name: a name is required');
    expect(run.stderr).toContain('bad.csv:4: date_of_birth: a date of birth is YYYY, YYYY-MM or YYYY-MM-DD');
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the input, the lists or the threshold cannot be used', async () => {
    expect((await perimeter('screen', '--lists', lists, '--input', join(dir, 'missing.csv'))).code).toBe(2);
    const input = join(dir, 'one.csv');
    await writeFile(input, 'name\nJohn Smith\n');
    const empty = await perimeter('screen', '--lists', join(dir, 'empty-lists'), '--input', input);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no lists imported');
    expect((await perimeter('screen', '--lists', lists, '--input', input, '--threshold', '1.5')).code).toBe(2);
    expect((await perimeter('screen', '--lists', lists, '--input', input, '--threshold', '0.95')).code).toBe(2);
  });
});
