// Runs verify's SQLite screen over many ranges on worker threads, each with its own read-only
// connection (WAL lets them read beside a running server). Screening is CPU-bound (hashing every
// byte), so threads are what make a million records verify in seconds on a small server.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScreenRange, ScreenResult } from './verify-screen.js';

type Reply = { ok: true; result: ScreenResult } | { ok: false; error: string };

/**
 * A worker on the compiled module, or, when running from TypeScript sources (tests, benches, `npm
 * run dev`), on the source through tsx's loader, which a worker does not inherit by itself.
 */
function startWorker(workerData: unknown): Worker {
  const compiled = new URL('./verify-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return new Worker(compiled, { workerData });
  const source = new URL('./verify-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`;
  return new Worker(boot, { eval: true, workerData });
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Screens `ranges` on `count` threads; results in the order of `ranges`. */
export async function screenInWorkers(path: string, orgId: string, ranges: readonly ScreenRange[], count: number): Promise<ScreenResult[]> {
  const results: ScreenResult[] = new Array(ranges.length);
  let next = 0;
  const run = (worker: Worker) => new Promise<void>((resolve, reject) => {
    const send = () => {
      if (next >= ranges.length) {
        worker.postMessage(null);
        resolve();
        return;
      }
      const index = next++;
      worker.once('message', (reply: Reply) => {
        if (!reply.ok) {
          reject(new Error(`verify worker: ${reply.error}`));
          return;
        }
        results[index] = reply.result;
        send();
      });
      worker.postMessage(ranges[index]);
    };
    worker.once('error', reject);
    send();
  });
  const workers = Array.from({ length: Math.max(1, Math.min(count, ranges.length)) }, () => startWorker({ path, orgId }));
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
