// bench/ui: the verifier screen in Chromium on an export of 1,000,000 entries (the bundle bench/audit makes), from
// choosing the file to the verdict, beside `perimeter audit verify` on the same file in the same run.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendAndExportBenchLog } from '../audit/bench-log.ts';
import { BENCH_USER, repoRoot, startUiBench } from './workstation.ts';

const ENTRIES = Number(process.env['BENCH_ENTRIES'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-verify-ui-'));

/**
 * `perimeter audit verify ZIP` as an auditor runs it (--threads auto): a new process, its verdict, its wall time. Auto
 * uses worker threads unless the one-minute load average already fills every core; the line says which it chose.
 */
const cliVerify = async (zipPath: string, threads: 'auto' | '1' = 'auto'): Promise<number> => {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'electron', 'cli', 'main.ts'), 'audit', 'verify', zipPath, '--threads', threads],
    { maxBuffer: 1 << 24 },
  );
  const ms = performance.now() - started;
  if (!/: VALID\n/.test(stdout)) throw new Error(`the CLI did not find the bundle valid:\n${stdout}`);
  return ms;
};

try {
  // BENCH_ZIP: that bundle instead of a new one (bench/audit keeps its own with BENCH_KEEP).
  const zipPath =
    process.env['BENCH_ZIP'] ??
    (await appendAndExportBenchLog(dir, { entries: ENTRIES, checkpointEvery: 10_000, batch: 1_000, level: 1 })).zipPath;
  console.log(`bundle: ${zipPath} (${(statSync(zipPath).size / 2 ** 20).toFixed(1)} MiB)`);

  const bench = await startUiBench(10, 'verify');
  try {
    const page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Whether the verifier's worker may compile WebAssembly (its SIMD hasher) under the policy it was served with.
    const wasm: string[] = [];
    page.on('worker', (worker) => {
      void worker
        .evaluate(
          `(() => {
          try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return 'allowed'; }
          catch (error) { return 'refused: ' + error.message; }
        })()`,
        )
        .then((outcome) => wasm.push(String(outcome)))
        .catch(() => undefined);
    });
    await page.goto(bench.url);
    await page.getByLabel('User id').fill(BENCH_USER.id);
    await page.getByLabel('Passphrase').fill(BENCH_USER.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('button', { name: 'Verify exports' }).click();
    await page.getByRole('heading', { name: 'Verify audit exports' }).waitFor();
    const browserMs: number[] = [];
    const cliMs: number[] = [];
    const cliWorkersMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const threads =
        loadavg()[0]! < availableParallelism() ? 'worker threads' : 'one thread (the load fills the cores)';
      cliMs.push(await cliVerify(zipPath));
      cliWorkersMs.push(await cliVerify(zipPath, '1'));
      const started = performance.now();
      await page.getByLabel('Open bundle', { exact: true }).setInputFiles(zipPath);
      await page
        .getByTestId('verdict')
        .filter({ hasText: /^(Valid|Invalid)$/ })
        .waitFor({ timeout: 30 * 60_000 });
      browserMs.push(performance.now() - started);
      const verdict = await page.getByTestId('verdict').textContent();
      const count = await page.getByTestId('entry-count').textContent();
      if (verdict !== 'Valid') throw new Error(`the verifier screen says ${verdict}`);
      console.log(
        `run ${run + 1}: verifier screen (Chromium) ${seconds(browserMs[run]!)} for ${count} entries; ` +
          `perimeter audit verify ${seconds(cliMs[run]!)} (auto: ${threads}), with --threads 1 ${seconds(cliWorkersMs[run]!)}; ` +
          `load average ${loadavg()[0]!.toFixed(1)}`,
      );
      // The next run starts from an empty screen.
      await page.getByRole('button', { name: 'Verify exports' }).click();
    }
    const best = (values: readonly number[]): number => Math.min(...values);
    console.log(
      `verify 1M: verifier screen (Chromium, one module worker) ${seconds(best(browserMs))}; ` +
        `CLI ${seconds(best(cliMs))} (--threads 1: ${seconds(best(cliWorkersMs))}); screen / CLI = ` +
        `${(best(browserMs) / best(cliMs)).toFixed(2)}x, screen / CLI on worker threads = ` +
        `${(best(browserMs) / best(cliWorkersMs)).toFixed(2)}x (goal: within 2x)`,
    );
    console.log(`the worker's WebAssembly: ${wasm.join('; ') || 'not observed'}`);
  } finally {
    await bench.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
