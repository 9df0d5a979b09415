// Small helpers shared by the job queue tests.
import { randomBytes } from 'node:crypto';
import type { JobLogger } from './jobs.js';
import { sleep } from './shared.js';

export interface LogEntry { level: 'warn' | 'error'; msg: string; obj: object }

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export const uniqueName = (label: string) => `${label}_${randomBytes(4).toString('hex')}`;

export function collectingLogger(logs: LogEntry[]): JobLogger {
  return {
    warn: (obj, msg) => { logs.push({ level: 'warn', msg, obj }); },
    error: (obj, msg) => { logs.push({ level: 'error', msg, obj }); },
  };
}

