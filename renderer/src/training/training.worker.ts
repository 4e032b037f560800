import { TrainingSession } from '../../../shared/worker/training-session.ts';
import type { TrainEvent } from '../../../shared/worker/worker-protocol.ts';
import { fetchDatasetFile } from './dataset-route.ts';
import { streamGunzip } from './stream-gunzip.ts';
import { startWorkerBackend, workerBackendsToTry } from './worker-backend.ts';

// One dedicated worker per run: the page terminates it to stop hard. Datasets come from the host's
// /datasets/<id>/<file> route (same origin, so the browser host's cookie goes along).
// (The renderer's types are the page's, DOM; of the worker's scope only this is used.)
const scope = self as unknown as {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  location: Location;
};

const bytesOf = (files: Record<string, string | Uint8Array>) =>
  Object.values(files).filter((f): f is Uint8Array => typeof f !== 'string');

/** The typed arrays of a message travel as transferred buffers, not copies. */
function transferables(event: TrainEvent): ArrayBuffer[] {
  const values =
    event.kind === 'progress'
      ? [event.step, event.loss, event.accuracy, event.lr]
      : event.kind === 'done'
        ? [event.predictions, ...bytesOf(event.files)]
        : event.kind === 'exported'
          ? bytesOf(event.files)
          : [];
  return [...new Set(values.map((v) => v.buffer as ArrayBuffer))];
}

const session = new TrainingSession({
  post: (event) => scope.postMessage(event, transferables(event)),
  readDatasetFile: (id, name) => fetchDatasetFile(scope.location.origin, id, name),
  gunzip: streamGunzip,
  backendsToTry: workerBackendsToTry,
  startBackend: startWorkerBackend,
});

scope.onmessage = (e) => session.handle(e.data);
