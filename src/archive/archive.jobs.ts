// Background archive work through the one job queue: staff events are copied into the archive
// every minute, and every city's log gets a signed checkpoint every hour (more often on demand).
import type { JobQueue } from '../jobs/jobs.js';
import type { ArchiveDeps } from './archive.service.js';
import { archiveEvents } from './events-archiver.js';
import { createCheckpoint } from './checkpoints.js';

export const ARCHIVE_EVENTS_JOB = 'archive.events';
export const ARCHIVE_CHECKPOINT_JOB = 'archive.checkpoint';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function eachCity(deps: ArchiveDeps, fn: (orgId: string) => Promise<unknown>): Promise<void> {
  const orgs = await deps.db.selectFrom('organizations').select('id').execute();
  for (const org of orgs) await fn(org.id);
}

export async function scheduleArchiveJobs(queue: JobQueue, deps: ArchiveDeps): Promise<void> {
  queue.work(ARCHIVE_EVENTS_JOB, async () => {
    await eachCity(deps, (orgId) => archiveEvents(deps, orgId));
    await queue.enqueue(ARCHIVE_EVENTS_JOB, {}, { runAt: new Date(Date.now() + MINUTE), singletonKey: 'minutely' });
  });
  queue.work(ARCHIVE_CHECKPOINT_JOB, async () => {
    await eachCity(deps, (orgId) => createCheckpoint(deps, orgId));
    await queue.enqueue(ARCHIVE_CHECKPOINT_JOB, {}, { runAt: new Date(Date.now() + HOUR), singletonKey: 'hourly' });
  });
  await queue.enqueue(ARCHIVE_EVENTS_JOB, {}, { singletonKey: 'minutely' });
  await queue.enqueue(ARCHIVE_CHECKPOINT_JOB, {}, { singletonKey: 'hourly' });
}
