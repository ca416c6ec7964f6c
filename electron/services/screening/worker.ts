// A screening worker thread: builds its own index once, then screens the batches it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { buildIndex } from '../../../core/screening/match-index.ts';
import type { ScreeningIndex } from '../../../core/screening/match-index.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import type { Party, PartyResult } from '../../../core/screening/screen.ts';
import type { WorkerRequest, WorkerSetup } from './batch.ts';
import { loadScreeningIndex } from './load.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;

const indexFor = async (): Promise<ScreeningIndex> =>
  'dir' in setup.source
    ? (await loadScreeningIndex(setup.source.dir, setup.source.listIds)).index
    : buildIndex(setup.source.snapshots);

try {
  const index = await indexFor();
  port.postMessage({ type: 'ready' });
  port.on('message', (request: WorkerRequest) => {
    const results: PartyResult[] = request.parties.map((party: Party) =>
      screenParty(index, party, setup.thresholds, { maxHits: setup.maxHits }),
    );
    port.postMessage({ type: 'results', batch: request.batch, results });
  });
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
