// bench/ui fixture: an encrypted workstation holding N active cases (projection rows bulk-inserted, as
// bench/store/queue-page.ts does; intake speed is measured elsewhere), served by the browser host, and Debian's Chromium.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { startBrowserHost } from '../../electron/services/host/browser-host.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { seededRandom } from '../../core/shared/seeded-random.ts';
import { caseFixtureWriter } from '../../test/fixtures/store.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const BENCH_USER = { id: 'bench', passphrase: 'benchmark passphrase' } as const;

export type UiBench = {
  readonly url: string;
  readonly browser: Browser;
  readonly close: () => Promise<void>;
};

/** Every case active and in scope of the bench user (operations admin and senior officer, every market). */
export const startUiBench = async (cases: number, label: string): Promise<UiBench> => {
  const dir = mkdtempSync(join(tmpdir(), `perimeter-bench-${label}-`));
  const deps = { now: () => new Date('2026-11-23T10:00:00.000Z'), scryptCost: { N: 2 ** 12, r: 8, p: 1 } };
  const admin = initialiseWorkstation(
    {
      path: join(dir, 'ui.db'),
      logId: `bench-${label}`,
      admin: { id: BENCH_USER.id, name: 'Bench', passphrase: BENCH_USER.passphrase },
      policyText: readFileSync(join(repoRoot, 'resources', 'examples', 'fintech', 'policy.yaml'), 'utf8'),
    },
    deps,
  );
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const queues = ['screening_review', 'enhanced_due_diligence', 'compliance_review', 'expansion_review'];
  const places = ['GB', 'FR', 'DE', 'NL', 'IE', 'US-CA', 'US-NY', 'BR', null];
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  const db = admin.workstation.db;
  db.transaction(() => {
    const fixture = caseFixtureWriter(db);
    for (let i = 0; i < cases; i += 1) {
      const leadId = `BL-${i}`;
      const place = pick(places);
      const subject = `Company ${Math.floor(random() * 200_000)} Ltd`;
      fixture.lead(leadId, place, subject);
      const opened = new Date(NOW - random() * 20 * 86_400_000);
      const due = new Date(opened.getTime() + pick([24, 48, 72, 240]) * 3_600_000);
      fixture.addCase({
        id: `BC-${i}`,
        type: pick(queues),
        leadId,
        risk: pick(['low', 'medium', 'high'] as const),
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

  const host = await startBrowserHost({
    dbPath: join(dir, 'ui.db'),
    staticDir: join(repoRoot, 'out', 'renderer'),
    deps,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url: host.url,
    browser,
    close: async () => {
      await browser.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
