// Mail delivery through the one job queue: every 30 s the outbox's due rows go out over SMTP.
// Each run schedules the next (as the archive jobs do); the singleton key keeps one chain per
// deployment however many times the server starts.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { JobQueue } from '../jobs/jobs.js';
import { sendPendingMail, type MailLogger, type Mailer } from './mail.js';

export const MAIL_SEND_JOB = 'mail.send';
const EVERY_MS = 30_000;

export async function scheduleMail(queue: JobQueue, db: Kysely<DB>, mailer: Mailer, log: MailLogger = console): Promise<void> {
  queue.work(MAIL_SEND_JOB, async () => {
    // SMTP failures are recorded on the outbox rows and retried there; only a database error
    // throws, and then the queue retries this run.
    const { failed } = await sendPendingMail(db, mailer);
    if (failed > 0) log.warn(`${failed} e-mail(s) could not be delivered and were given up; see mail_outbox.last_error`);
    await queue.enqueue(MAIL_SEND_JOB, {}, { runAt: new Date(Date.now() + EVERY_MS), singletonKey: 'every-30s' });
  });
  await queue.enqueue(MAIL_SEND_JOB, {}, { singletonKey: 'every-30s' });
}
