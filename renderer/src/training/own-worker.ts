import { graphFile } from '../../../shared/graph/file-format.ts';
import { serializeDesignFile } from '../../../shared/blocks/design-file.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import {
  trainEventSchema,
  type TrainEvent,
  type TrainRequest,
} from '../../../shared/worker/worker-protocol.ts';
import { useTraining } from './training-store.ts';

/**
 * Runs one request in a worker of its own: `answer` picks the event that ends it (an error ends it too).
 */
export function inOwnWorker<T>(
  request: TrainRequest,
  answer: (event: TrainEvent) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const job = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
    const end = () => job.terminate();
    job.onerror = (e) => {
      end();
      reject(new Error(e.message));
    };
    job.onmessage = (e: MessageEvent<unknown>) => {
      const event = trainEventSchema.safeParse(e.data);
      if (!event.success) return;
      if (event.data.kind === 'error') {
        end();
        return reject(new Error(event.data.message));
      }
      const value = answer(event.data);
      if (value === undefined) return;
      end();
      resolve(value);
    };
    job.postMessage(request);
  });
}

/** Each design's inference samples/s on the Train panel's backend, measured in a worker of its own. */
export function measureInference(
  graphs: Graph[],
  batch: number,
): Promise<{ backend: string; results: { samplesPerSec: number | null; problem: string | null }[] }> {
  const { machine } = useTraining.getState();
  return inOwnWorker(
    {
      kind: 'measureInference',
      graphTexts: graphs.map((g) => serializeDesignFile(graphFile(g, 'measured'))),
      batch: Math.min(batch, 1024),
      ...machine,
    },
    (e) => (e.kind === 'measured' ? { backend: e.backend, results: e.results } : undefined),
  );
}
