// The verifier's module worker: reads the chosen files and runs the job off the page's thread. Nothing is sent anywhere.
import { readChosenBundle, runVerifierJob } from './verifier-job.ts';
import type { BundleBytes, JobRequest, WorkerMessage } from './verifier-job.ts';

/** What the page sends: the files themselves (Blobs clone cheaply), read here rather than on the page's thread. */
export type WorkerRequest =
  | { readonly kind: 'verify'; readonly keys: string; readonly bundle: File }
  | { readonly kind: 'compare'; readonly keys: string; readonly older: File; readonly newer: File };

// The renderer is type-checked with the DOM library; this file runs in a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage: (message: WorkerMessage) => void;
};

// The zip is read here, with the browser's native inflater (fast, and stopped at each member's declared size).
const bytesOf = async (file: File): Promise<BundleBytes> =>
  readChosenBundle(file.name, new Uint8Array(await file.arrayBuffer()));

scope.onmessage = (event) => {
  const request = event.data;
  const post = (message: WorkerMessage): void => scope.postMessage(message);
  void (async () => {
    try {
      const job: JobRequest =
        request.kind === 'verify'
          ? { kind: 'verify', keys: request.keys, bundle: await bytesOf(request.bundle) }
          : {
              kind: 'compare',
              keys: request.keys,
              older: await bytesOf(request.older),
              newer: await bytesOf(request.newer),
            };
      runVerifierJob(job, post);
    } catch (error) {
      post({ kind: 'crashed', error: error instanceof Error ? error.message : String(error) });
    }
  })();
};
