// bench/ui: the queue screen in Chromium over 100,000 active cases: time to first rows, to a 500-row page, to the next
// page, and frame times while scrolling a 500-row page (virtualised: only the visible rows are in the DOM).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startBrowserHost } from '../../electron/services/host/browser-host.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/workstation.ts';
import { seededRandom } from '../routing/generate.ts';
import { caseFixtureWriter } from '../store/fixtures.ts';

const CASES = Number(process.env['BENCH_CASES'] ?? 100_000);
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-ui-'));
const deps = { now: () => new Date('2026-11-23T10:00:00.000Z'), scryptCost: { N: 2 ** 12, r: 8, p: 1 } };
const admin = initialiseWorkstation(
  {
    path: join(dir, 'ui.db'),
    logId: 'bench-ui',
    admin: { id: 'bench', name: 'Bench', passphrase: 'benchmark passphrase' },
    policyText: readFileSync(join(repoRoot, 'resources', 'examples', 'fintech', 'policy.yaml'), 'utf8'),
  },
  deps,
);

// Fixture: projection rows bulk-inserted as bench/store/queue-page.ts does (intake speed is measured elsewhere); every
// case active, so the default view holds all of them.
const random = seededRandom(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const queues = ['screening_review', 'enhanced_due_diligence', 'compliance_review', 'expansion_review'];
const places = ['GB', 'FR', 'DE', 'NL', 'IE', 'US-CA', 'US-NY', 'BR', null];
const NOW = Date.parse('2026-11-23T10:00:00Z');
const db = admin.workstation.db;
db.transaction(() => {
  const fixture = caseFixtureWriter(db);
  for (let i = 0; i < CASES; i += 1) {
    const leadId = `BL-${i}`;
    const place = pick(places);
    const subject = `Company ${Math.floor(random() * 200_000)} Ltd`;
    fixture.lead(leadId, place, subject);
    const opened = new Date(NOW - random() * 20 * 86_400_000);
    const due = new Date(opened.getTime() + pick([24, 48, 72, 240]) * 3_600_000);
    const type = pick(queues);
    const risk = pick(['low', 'medium', 'high'] as const);
    fixture.addCase({
      id: `BC-${i}`,
      type,
      leadId,
      risk,
      jurisdiction: place,
      openedAt: opened,
      slaDueAt: due,
      status: 'open',
      claimedBy: null,
      makerId: null,
      subject,
    });
  }
  fixture.finish();
})();
admin.workstation.close();

const host = await startBrowserHost({ dbPath: join(dir, 'ui.db'), staticDir: join(repoRoot, 'out', 'renderer'), deps });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(host.url);
  await page.getByLabel('User id').fill('bench');
  await page.getByLabel('Passphrase').fill('benchmark passphrase');
  let started = performance.now();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.locator('tr[data-case-id]').first().waitFor();
  const firstRowsMs = performance.now() - started;
  const totalText = await page.locator('.pager span').first().textContent();

  started = performance.now();
  await page.getByLabel('Rows per page').selectOption('500');
  await page.locator('table.case-table[aria-rowcount="501"]').waitFor();
  const pageOf500Ms = performance.now() - started;
  const domRows = await page.locator('tr[data-case-id]').count();

  started = performance.now();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of').waitFor();
  await page.locator('table.case-table[aria-rowcount="501"][aria-busy="false"]').waitFor();
  const nextPageMs = performance.now() - started;

  // Scroll the 500-row page top to bottom, one step per frame, and record each frame's duration.
  // (A string, as this file is type-checked without the DOM library.)
  const frames = await page.evaluate<number[]>(`(async () => {
    const scroller = document.querySelector('.case-table-wrap');
    const durations = [];
    let last = performance.now();
    const steps = 120;
    for (let step = 1; step <= steps; step += 1) {
      scroller.scrollTop = (scroller.scrollHeight * step) / steps;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      durations.push(now - last);
      last = now;
    }
    return durations.sort((a, b) => a - b);
  })()`);
  const p = (q: number): number => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))] ?? NaN;
  console.log(`cases in the store: ${CASES.toLocaleString('en')} (pager: "${totalText}")`);
  console.log(`unlock → first rows: ${firstRowsMs.toFixed(0)} ms`);
  console.log(`500-row page: ${pageOf500Ms.toFixed(0)} ms; next page: ${nextPageMs.toFixed(0)} ms`);
  console.log(`rows in the DOM for a 500-row page: ${domRows} (baseline without virtualisation: 500)`);
  console.log(
    `scroll frame time over 120 steps: p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${p(1).toFixed(1)} ms (budget 16.7 ms)`,
  );
} finally {
  await browser.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}
