// A verify screening thread (SQLite): opens its own read-only connection and screens the ranges it
// is sent, one at a time, replying with the packed arrays transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { openScreenConnection, screenSqliteRange, type ScreenRange, type ScreenResult } from './verify-screen.js';

interface Setup {
  path: string;
  orgId: string;
}

const { path, orgId } = workerData as Setup;
const port = parentPort;
if (!port) throw new Error('verify-worker.ts runs as a worker thread');
const db = openScreenConnection(path);

port.on('message', (range: ScreenRange | null) => {
  if (range === null) {
    db.close();
    port.close();
    return;
  }
  try {
    const result: ScreenResult = screenSqliteRange(db, orgId, range);
    const transfer = [result.leaves.buffer, result.present.buffer, ...(result.digests ? [result.digests.buffer] : [])] as ArrayBuffer[];
    port.postMessage({ ok: true, result }, transfer);
  } catch (error) {
    port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
