// bench/ui: the queue screen in Chromium over 100,000 active cases: time to first rows, to a 500-row page, to the next
// page, and frame times while scrolling a 500-row page (virtualised: only the visible rows are in the DOM).
import { BENCH_USER, startUiBench } from './workstation.ts';

const CASES = Number(process.env['BENCH_CASES'] ?? 100_000);
const bench = await startUiBench(CASES, 'ui');
const { browser } = bench;
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(bench.url);
  await page.getByLabel('User id').fill(BENCH_USER.id);
  await page.getByLabel('Passphrase').fill(BENCH_USER.passphrase);
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
  await bench.close();
}
