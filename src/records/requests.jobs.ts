// Deadline reminders: the custodian (and whoever the request is assigned to) is told once when an
// unanswered request is two business days from due, and once when it is overdue. The request row
// remembers each reminder, set only where it was still empty, so a rerun or a second worker never
// sends it twice; each reminder is an event, so the record shows the city was warned.
import type { Kysely } from 'kysely';
import type { DB, RecordsRequestsTable } from '../db/schema.js';
import { runCommand } from '../events/command.js';
import type { JobQueue } from '../jobs/jobs.js';
import { loadOrg, type OrgWithPack } from '../org/org.queries.js';
import { notify, roleHolders } from '../people/notifications.js';
import { operatorActor } from '../policy/can.js';
import { deadlineState } from './clock.js';
import { OPEN_STATUSES, recordsSources } from './requests.shared.js';

export const RECORDS_REMINDERS_JOB = 'records.reminders';
const HOUR = 60 * 60_000;

type Kind = 'due_soon' | 'overdue';

class AlreadySent extends Error {}

async function remind(db: Kysely<DB>, city: OrgWithPack, r: RecordsRequestsTable, kind: Kind, now: Date): Promise<boolean> {
  const rules = city.pack.records;
  if (!rules) return false;
  const ctx = { db, actor: operatorActor(r.org_id, city.pack, 'CivicDesk deadline reminders'), packVersion: city.packDigest, now: () => now };
  const column = kind === 'due_soon' ? 'reminded_due_soon_at' : 'reminded_overdue_at';
  try {
    await runCommand(ctx, { event: `records.request_${kind}_reminder`, authorize: { action: 'records.request.manage', resource: { orgId: r.org_id } } }, async (trx, at) => {
      // An overdue request is past "due soon": that reminder is never sent after this one.
      const set = kind === 'overdue' ? { reminded_overdue_at: at.toISOString(), reminded_due_soon_at: r.reminded_due_soon_at ?? at.toISOString() } : { reminded_due_soon_at: at.toISOString() };
      const done = await trx.updateTable('records_requests').set(set).where('id', '=', r.id).where(column, 'is', null).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new AlreadySent();
      const recipients = [...(await roleHolders(trx, r.org_id, [rules.custodianRole])), ...(r.assigned_to ? [r.assigned_to] : [])];
      const text = kind === 'overdue'
        ? `Public records request ${r.number} from ${r.requester_name} is OVERDUE: it was due ${r.due_on} (${r.clock_statute})`
        : `Public records request ${r.number} from ${r.requester_name} is due ${r.due_on}: two business days or fewer left`;
      const told = await notify(trx, { orgId: r.org_id, userIds: recipients, text, link: `/records/requests/${r.id}`, at });
      return { result: undefined, targetType: 'records_request', targetId: r.id, after: { reminder: kind, dueOn: r.due_on, told: told.length }, sources: recordsSources(city.pack) };
    });
    return true;
  } catch (err) {
    if (err instanceof AlreadySent) return false;
    throw err;
  }
}

/** Sends the reminders that are due now; returns how many were sent. Idempotent. */
export async function sendDeadlineReminders(db: Kysely<DB>, now = new Date()): Promise<number> {
  const open = await db.selectFrom('records_requests').selectAll()
    .where('status', 'in', [...OPEN_STATUSES]).where('reminded_overdue_at', 'is', null).execute();
  const cities = new Map<string, OrgWithPack | undefined>();
  let sent = 0;
  for (const r of open) {
    if (!cities.has(r.org_id)) cities.set(r.org_id, await loadOrg(db, r.org_id));
    const city = cities.get(r.org_id);
    if (!city) continue;
    const state = deadlineState(r.due_on, now, city.pack.city.timeZone);
    const kind: Kind | null = state.overdue ? 'overdue' : state.dueSoon && !r.reminded_due_soon_at ? 'due_soon' : null;
    if (kind && (await remind(db, city, r, kind, now))) sent++;
  }
  return sent;
}

/** Hourly, so a request becomes "due soon" or "overdue" within the hour the city's day turns. */
export async function scheduleRecordsJobs(queue: JobQueue, db: Kysely<DB>): Promise<void> {
  queue.work(RECORDS_REMINDERS_JOB, async () => {
    await sendDeadlineReminders(db);
    await queue.enqueue(RECORDS_REMINDERS_JOB, {}, { runAt: new Date(Date.now() + HOUR), singletonKey: 'hourly' });
  });
  await queue.enqueue(RECORDS_REMINDERS_JOB, {}, { singletonKey: 'hourly' });
}
