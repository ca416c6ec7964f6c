// Runs verifier jobs in a module worker, one at a time: a new job (or leaving the screen) ends the one before.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobOutcome, ProgressStep, WorkerMessage } from './verifier-job.ts';
import { progressPercent, progressText } from './verifier-view.ts';
import type { WorkerRequest } from './verifier.worker.ts';

export type VerifierJobState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly percent: number; readonly text: string }
  | { readonly status: 'done'; readonly outcome: JobOutcome }
  | { readonly status: 'failed'; readonly error: string };

export const useVerifierWorker = (): {
  readonly state: VerifierJobState;
  readonly start: (request: WorkerRequest) => void;
} => {
  const [state, setState] = useState<VerifierJobState>({ status: 'idle' });
  const worker = useRef<Worker | null>(null);

  const stop = (): void => {
    worker.current?.terminate();
    worker.current = null;
  };
  useEffect(() => stop, []);

  const start = useCallback((request: WorkerRequest): void => {
    stop();
    // Vite bundles the worker as its own file beside the page's scripts, so the CSP's script-src 'self' covers it.
    const created = new Worker(new URL('./verifier.worker.ts', import.meta.url), {
      type: 'module',
      name: 'audit-verifier',
    });
    worker.current = created;
    setState({ status: 'running', percent: 0, text: 'starting' });
    created.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (worker.current !== created) return;
      const message = event.data;
      if (message.kind === 'progress') {
        const step: ProgressStep = message.step;
        setState({ status: 'running', percent: progressPercent(step), text: progressText(step) });
        return;
      }
      stop();
      setState(
        message.kind === 'done'
          ? { status: 'done', outcome: message.outcome }
          : { status: 'failed', error: message.error },
      );
    };
    created.onerror = (event) => {
      if (worker.current !== created) return;
      event.preventDefault();
      stop();
      setState({ status: 'failed', error: event.message || 'the verifier stopped unexpectedly' });
    };
    created.postMessage(request);
  }, []);

  return { state, start };
};
