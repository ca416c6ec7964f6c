// bench/audit: append N entries (~500 bytes) to the encrypted log, export, verify the export the CLI's way; where the
// verification's time goes, phase by phase; the SHA-256 and RFC 6962 tree floors over the same bytes measured in the
// same run, and the ratio to them; plus checkpoint signing and proof verification rates.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FILE_PATTERN, CSV_FILE, ENTRIES_FILE, KEYS_FILE } from '../../core/audit/bundle-format.ts';
import { lineBounds } from '../../core/audit/bytes.ts';
import { parseSignedCheckpoint, signCheckpoint } from '../../core/audit/checkpoint.ts';
import { createScannedFields, scanEntryLine } from '../../core/audit/entry-scan.ts';
import { createMemoryMerkleTree, hashLeaf, inclusionProof, verifyInclusion } from '../../core/audit/merkle.ts';
import { merkleHasher, merkleTreeOfLeaves, portMerkleHasher } from '../../core/audit/merkle-hasher.ts';
import { parseVerifierKey, verifyNoteSignature } from '../../core/audit/note.ts';
import { readAnyValue } from '../../core/audit/payload-scan.ts';
import { verifyAuditBundle } from '../../core/audit/verify.ts';
import { verifyUnzippedBundle } from '../../core/audit/verify-export.ts';
import { examineLines } from '../../core/audit/verify-lines.ts';
import { readBundleVerifyingEarly } from '../../electron/services/audit/early-verify.ts';
import { nodeEd25519Verify } from '../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { startParallelMerkle } from '../../electron/services/audit/parallel-merkle.ts';
import { unzipBundleNative } from '../../electron/services/audit/native-unzip.ts';
import { appendAndExportBenchLog } from './bench-log.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const CHECKPOINT_EVERY = Number(process.env.BENCH_CHECKPOINT_EVERY ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const ZIP_LEVEL = Number(process.env.BENCH_ZIP_LEVEL ?? 1) as 0 | 1 | 6 | 9;
const VERIFY_RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-audit-'));
const rate = (count: number, ms: number): string => `${Math.round(count / (ms / 1000)).toLocaleString('en')}/s`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

try {
  console.log(
    process.env.BENCH_ZIP
      ? `audit benchmark: verifying ${process.env.BENCH_ZIP}`
      : `audit benchmark: ${ENTRIES.toLocaleString('en')} entries, a checkpoint every ${CHECKPOINT_EVERY.toLocaleString('en')}, zip level ${ZIP_LEVEL}`,
  );
  // BENCH_ZIP: verify that bundle (one kept with BENCH_KEEP) instead of appending and exporting a new one.
  const zipPath =
    process.env.BENCH_ZIP ??
    (
      await appendAndExportBenchLog(dir, {
        entries: ENTRIES,
        checkpointEvery: CHECKPOINT_EVERY,
        batch: BATCH,
        level: ZIP_LEVEL,
        // BENCH_CSV=1 exports with entries.csv, as every bundle carried it before decision 0231.
        csv: process.env.BENCH_CSV === '1',
      })
    ).zipPath;

  // --- verify, from the file on disk, the CLI's way, taking turns with the floor ------------------------------------
  // The zip's members inflate side by side on native threads into shared memory; worker threads take chunks of lines,
  // examining and hashing each, while this thread takes chunks too and judges every line in order (electron/cli/audit.ts).
  // Each run is followed at once by the RFC 6962 tree alone with node:crypto split over the cores (the issue's floor),
  // so that both see the same load; the best of each is compared, every run is printed.
  const verifyOnce = async () => {
    const started = performance.now();
    const { read, parallel } = await readBundleVerifyingEarly(zipPath);
    if (!read.ok) throw new Error(read.error);
    const unzipMs = performance.now() - started;
    const verified = verifyUnzippedBundle(read.value, {
      sha256: nodeSha256,
      ed25519Verify: nodeEd25519Verify,
      ...(parallel
        ? {
            merkle: parallel.merkle,
            lines: parallel.lines,
            ...(parallel.lineBounds ? { lineBounds: parallel.lineBounds } : {}),
          }
        : {}),
    });
    const ms = performance.now() - started;
    await parallel?.close();
    if (!verified.ok) throw new Error(verified.error);
    if (verified.value.report.verdict !== 'valid')
      throw new Error(`the export does not verify: ${JSON.stringify(verified.value.report.firstFailure)}`);
    return { ms, unzipMs, read, verified: verified.value, workers: parallel?.workers ?? 0, chunks: parallel?.chunks() };
  };
  const splitFloor = async (entries: Uint8Array, simd: boolean): Promise<{ ms: number; workers: number }> => {
    const bounds = lineBounds(entries);
    const started = performance.now();
    const workers = startParallelMerkle(entries, { workers: availableParallelism() > 1 ? 2 : 1, lines: bounds, simd });
    workers?.port(entries, bounds.starts, bounds.ends);
    const ms = performance.now() - started;
    await workers?.close();
    return { ms, workers: workers?.workers ?? 0 };
  };
  type VerifyRun = Awaited<ReturnType<typeof verifyOnce>>;
  // Only the fastest run's bundle is kept (each holds about 1 GiB).
  const runs: { verifyMs: number; floorMs: number }[] = [];
  let best: VerifyRun | null = null;
  for (let run = 0; run < VERIFY_RUNS; run++) {
    const verify = await verifyOnce();
    const floor = await splitFloor(verify.read.value.files.get(ENTRIES_FILE)!, false);
    runs.push({ verifyMs: verify.ms, floorMs: floor.ms });
    console.log(
      `run ${run + 1}:   verify ${seconds(verify.ms)} (unzip ${seconds(verify.unzipMs)}, checks ${seconds(verify.ms - verify.unzipMs)}, ` +
        `${verify.workers} worker thread(s) beside this one did ${verify.chunks?.byWorkers ?? 0} of ${verify.chunks?.total ?? 0} chunks); ` +
        `tree floor (node:crypto, split over ${floor.workers} workers) ${seconds(floor.ms)}; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    if (!best || verify.ms < best.ms) best = verify;
  }
  if (!best) throw new Error('no verification ran');
  const verifyMs = best.ms;
  const floorNodeMs = Math.min(...runs.map((run) => run.floorMs));
  const { read } = best;
  const { report, log } = best.verified;
  console.log(
    `verify:  ${rate(report.summary.entries, verifyMs)} (best of ${VERIFY_RUNS}: ${seconds(verifyMs)}: unzip ${seconds(best.unzipMs)}, ` +
      `checks ${seconds(verifyMs - best.unzipMs)}; ${merkleHasher(nodeSha256).kind} hashing); ` +
      `valid, ${report.summary.checkpoints.length} checkpoints`,
  );
  const files = read.value.files;
  const entriesRead = files.get(ENTRIES_FILE)!;
  const csvRead = files.get(CSV_FILE) ?? null;
  const csvMatch = csvRead ? { bytes: csvRead, start: null } : null;

  // --- where the time goes: each phase on this thread alone, in this run --------------------------------------------
  // CPU time of this thread (process.cpuUsage: no worker runs now), so other work on the machine counts less.
  const phase = <T>(run: () => T): { value: T; ms: number } => {
    const before = process.cpuUsage();
    const value = run();
    const used = process.cpuUsage(before);
    return { value, ms: (used.user + used.system) / 1000 };
  };
  const zipBytes = new Uint8Array(readFileSync(zipPath));
  const inflate = phase(() => unzipBundleNative(zipBytes));
  const split = phase(() => lineBounds(entriesRead));
  const { starts, ends } = split.value;
  const count = starts.length;
  // The canonical-JSON reading of every line without the schemas, then with them (the verifier's fast reading).
  const canonicalOnly = phase(() => {
    let certain = 0;
    for (let i = 0; i < count; i++) if (readAnyValue(entriesRead, starts[i]!, ends[i]!, 0) === ends[i]) certain++;
    return certain;
  });
  const scanned = createScannedFields();
  const canonicalAndSchema = phase(() => {
    let certain = 0;
    for (let i = 0; i < count; i++) if (scanEntryLine(entriesRead, starts[i]!, ends[i]!, scanned)) certain++;
    return certain;
  });
  const examineAll = phase(() => examineLines(entriesRead, starts, ends, 0, count, null));
  const examineWithCsv = phase(() => examineLines(entriesRead, starts, ends, 0, count, csvMatch));
  const careful = phase(() => examineLines(entriesRead, starts, ends, 0, count, csvMatch, false));
  const hasher = merkleHasher(nodeSha256);
  const leafHashes = new Uint8Array(count * 32);
  const leaves = phase(() => hasher.hashLeaves(entriesRead, starts, ends, 0, count, leafHashes, 0));
  const tree = phase(() => merkleTreeOfLeaves(hasher, nodeSha256, leafHashes, count));
  const nodeLeaves = phase(() =>
    portMerkleHasher(nodeSha256).hashLeaves(entriesRead, starts, ends, 0, count, new Uint8Array(count * 32), 0),
  );
  const nodeTree = phase(() => merkleTreeOfLeaves(portMerkleHasher(nodeSha256), nodeSha256, leafHashes, count));
  const keyText = (JSON.parse(new TextDecoder().decode(files.get(KEYS_FILE)!)) as { keys: { verifierKey: string }[] })
    .keys;
  const verifierKeys = keyText.map(({ verifierKey }) => {
    const parsed = parseVerifierKey(verifierKey, nodeSha256);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    return parsed.value;
  });
  const signatures = phase(() => {
    let good = 0;
    for (const [path, bytes] of files) {
      if (!CHECKPOINT_FILE_PATTERN.test(path)) continue;
      const parsed = parseSignedCheckpoint(bytes);
      if (!parsed.ok) throw new Error(parsed.error);
      for (const signature of parsed.value.note.signatures)
        if (verifierKeys.some((key) => verifyNoteSignature(parsed.value.note.text, signature, key, nodeEd25519Verify)))
          good++;
    }
    return good;
  });
  const judged = phase(() =>
    verifyAuditBundle(files, {
      sha256: nodeSha256,
      ed25519Verify: nodeEd25519Verify,
      lines: () => [examineWithCsv.value],
      merkle: () => ({ leafHashes, tree: tree.value }),
    }),
  );
  if (judged.value.report.verdict !== 'valid') throw new Error("the breakdown's verification disagrees");
  const perEntry = (ms: number): string => `${((ms * 1000) / count).toFixed(2)} µs/entry`;
  const row = (label: string, ms: number, note = ''): void =>
    console.log(
      `         ${label.padEnd(52)} ${seconds(ms).padStart(8)}  ${perEntry(ms).padStart(15)}${note ? `  ${note}` : ''}`,
    );
  console.log('phases:  each on this thread alone (CPU time), the fast reading and SIMD hashing the verifier uses:');
  row(
    csvRead ? 'unzip: inflate entries.jsonl + entries.csv (node:zlib)' : 'unzip: inflate entries.jsonl (node:zlib)',
    inflate.ms,
    csvRead
      ? `${mib(entriesRead.length + csvRead.length)}`
      : `${mib(entriesRead.length)}; the bundle has no entries.csv`,
  );
  row('line split', split.ms);
  row(
    'canonical JSON (RFC 8785), one pass over the bytes',
    canonicalOnly.ms,
    `${canonicalOnly.value.toLocaleString('en')} lines certain`,
  );
  row('  + entry and payload schemas (same pass)', canonicalAndSchema.ms - canonicalOnly.ms);
  row('examine every line: the above + facts', examineAll.ms);
  if (csvRead) row('  + the CSV row matched byte for byte', examineWithCsv.ms - examineAll.ms);
  row('leaf hashes (SIMD, 4 lanes)', leaves.ms);
  row('tree: interior nodes (SIMD, 4 lanes)', tree.ms);
  row(`signatures: ${signatures.value} Ed25519 checkpoint signatures`, signatures.ms);
  row('judging every line in order, checkpoints, keys, manifest', judged.ms);
  console.log('         as the verifier did before (for comparison, same run):');
  row('careful reading: decode, strict parse, zod shape, CSV row', careful.ms);
  row('leaf hashes, one node:crypto call each', nodeLeaves.ms);
  row('tree, one node:crypto call per interior node', nodeTree.ms);
  // The same checks with everything on this thread, for comparison.
  const serialStarted = performance.now();
  const serial = verifyAuditBundle(files, { sha256: nodeSha256, ed25519Verify: nodeEd25519Verify });
  const serialMs = performance.now() - serialStarted;
  if (serial.report.verdict !== 'valid') throw new Error('the single-thread verification disagrees');
  console.log(`         the same checks all on this thread (after the unzip): ${seconds(serialMs)}`);

  // --- the floor: plain SHA-256 over the same bytes, in this run --------------------------------------------------
  const entriesBytes = entriesRead;
  let floorStarted = performance.now();
  createHash('sha256').update(entriesBytes).digest();
  const onePassMs = performance.now() - floorStarted;
  floorStarted = performance.now();
  for (let at = 0; at < entriesBytes.length;) {
    const end = entriesBytes.indexOf(0x0a, at);
    nodeSha256(entriesBytes.subarray(at, end));
    at = end + 1;
  }
  const perLineMs = performance.now() - floorStarted;
  // What RFC 6962 itself costs: every leaf hash plus every interior node, nothing else, with node:crypto.
  floorStarted = performance.now();
  const memoryTree = createMemoryMerkleTree(nodeSha256, report.summary.entries);
  for (let at = 0; at < entriesBytes.length;) {
    const end = entriesBytes.indexOf(0x0a, at);
    memoryTree.append(hashLeaf(nodeSha256, entriesBytes.subarray(at, end)));
    at = end + 1;
  }
  const merkleMs = performance.now() - floorStarted;
  // The same tree with the SIMD hasher the verifier uses, split the same way.
  const floorSimd = await splitFloor(entriesBytes, true);
  console.log(
    `floor:   SHA-256 over entries.jsonl in one pass ${seconds(onePassMs)}; one SHA-256 per entry ${seconds(perLineMs)}`,
  );
  console.log(
    `         RFC 6962 tree alone (leaf + interior hashes), node:crypto: ${seconds(merkleMs)} on one thread, ` +
      `${seconds(floorNodeMs)} split over the cores (${availableParallelism()}; best of ${VERIFY_RUNS})`,
  );
  console.log(
    `         RFC 6962 tree alone, SIMD hasher: ${seconds(floorSimd.ms)} split over ${floorSimd.workers} worker threads`,
  );
  console.log(
    `ratio:   verify / tree floor (node:crypto, split) = ${seconds(verifyMs)} / ${seconds(floorNodeMs)} = ` +
      `${(verifyMs / floorNodeMs).toFixed(2)}x (goal: at most 1.5x); run by run: ` +
      runs.map((run) => `${(run.verifyMs / run.floorMs).toFixed(2)}x`).join(', '),
  );
  console.log(
    `         verify / tree floor (SIMD, split) = ${(verifyMs / floorSimd.ms).toFixed(2)}x; ` +
      `verify / one-pass floor = ${(verifyMs / onePassMs).toFixed(1)}x; verify / per-entry floor = ${(verifyMs / perLineMs).toFixed(1)}x`,
  );

  // --- checkpoint signing and proof verification rates ----------------------------------------------------------
  const SIGNS = 2_000;
  const seed = new Uint8Array(32).fill(7);
  const root = memoryTree.root();
  let signStarted = performance.now();
  for (let i = 0; i < SIGNS; i++)
    signCheckpoint(
      { origin: 'perimeter/audit/bench-device', size: i + 1, root },
      [{ name: 'perimeter/audit/bench-device', seed }],
      nodeSha256,
    );
  const signMs = performance.now() - signStarted;
  const PROOFS = 20_000;
  const size = log.entryCount;
  const indexes = Array.from({ length: PROOFS }, (_, i) => (i * 2654435761) % size);
  const proofs = indexes.map((index) => ({
    index,
    proof: inclusionProof(log.tree.read, nodeSha256, index, size),
    leaf: log.tree.read(0, index),
  }));
  signStarted = performance.now();
  let good = 0;
  for (const { index, proof, leaf } of proofs)
    if (verifyInclusion(nodeSha256, index, size, leaf, proof, root).ok) good++;
  const proofMs = performance.now() - signStarted;
  if (good !== PROOFS) throw new Error('an inclusion proof failed');
  console.log(`sign:    ${rate(SIGNS, signMs)} checkpoint signatures (Ed25519, @noble/ed25519)`);
  console.log(
    `proofs:  ${rate(PROOFS, proofMs)} inclusion proofs verified (tree of ${size.toLocaleString('en')}, ${proofs[0]!.proof.length} hashes each)`,
  );
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}
