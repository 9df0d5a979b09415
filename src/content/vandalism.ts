// Vandalism detection (KA-15, BZ-12): a post or a profile change on an official account that did
// not come through CivicDesk means someone else has the account's credentials. Live capture sees
// every post by the account and every change of its profile; a post that matches no publication,
// or any profile change (CivicDesk never writes a profile), raises an incident, alerts the IT
// Director (the pack's vandalismNotifyRole and whoever may suspend accounts) and the account's
// administrators, and offers to suspend the account. Nothing is undone automatically: people decide.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RecordInput } from '../archive/record.js';
import type { Captured } from '../archive/capture.js';
import { runCommand } from '../events/command.js';
import { loadOrg } from '../org/org.queries.js';
import { operatorActor } from '../policy/can.js';
import { notify, roleHolders } from '../people/notifications.js';

/** How long to wait for a publication started just before to record its id, before alarming. */
const GRACE_MS = 10_000;

async function isOurs(db: Kysely<DB>, orgId: string, uri: string): Promise<boolean> {
  const hit = await db.selectFrom('publications').select('id').where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('platform_id', '=', uri), eb('expected_id', '=', uri)])).executeTakeFirst();
  return Boolean(hit);
}

/** Checks the account's own new posts among captured records; returns the incidents opened. */
export async function checkForVandalism(db: Kysely<DB>, orgId: string, accountId: string, records: RecordInput[], graceMs = GRACE_MS): Promise<string[]> {
  const own = records.filter((r) => r.kind === 'post' && r.accountId === accountId && (r.meta as { byAccount?: boolean } | undefined)?.byAccount && r.platformId);
  const opened: string[] = [];
  for (const r of own) {
    const uri = r.platformId as string;
    if (await isOurs(db, orgId, uri)) continue;
    if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
    if (await isOurs(db, orgId, uri)) continue;
    const existing = await db.selectFrom('incidents').select('id').where('org_id', '=', orgId).where('platform_id', '=', uri).executeTakeFirst();
    if (existing) continue;
    const text = r.text ?? '';
    const id = await openVandalismIncident(db, orgId, accountId, { uri, what: (a) => `A post appeared on ${a} that was not published through CivicDesk: "${text.slice(0, 140)}"` });
    if (id) opened.push(id);
  }
  return opened;
}

/**
 * Checks the account's own profile changes among captured records. Each new version (a record the
 * archive did not hold yet: a redelivered event is a duplicate) opens an incident. CivicDesk makes
 * no profile changes, so none is expected; code that ever writes a profile must record the CID it
 * wrote and skip that version here, as publications do for posts.
 */
export async function checkProfileChanges(db: Kysely<DB>, orgId: string, accountId: string, records: RecordInput[], captured: Captured[]): Promise<string[]> {
  const opened: string[] = [];
  for (const [i, r] of records.entries()) {
    const meta = r.meta as { change?: string; operation?: string } | undefined;
    if (r.kind !== 'account_change' || meta?.change !== 'profile' || r.accountId !== accountId || !r.platformId || captured[i]?.duplicate !== false) continue;
    const text = r.text ?? 'Profile changed';
    const id = await openVandalismIncident(db, orgId, accountId, {
      uri: r.platformId, version: r.platformVersion, recordId: captured[i]?.id,
      what: (a) => `The profile of ${a} was changed outside CivicDesk (${text.slice(0, 200)})`,
    });
    if (id) opened.push(id);
  }
  return opened;
}

interface Sighting {
  /** The post's URI, or the profile record's. */
  uri: string;
  /** The profile version (CID) that appeared, and its archive record. */
  version?: string;
  recordId?: string;
  what: (account: string) => string;
}

async function openVandalismIncident(db: Kysely<DB>, orgId: string, accountId: string, seen: Sighting): Promise<string | null> {
  const city = await loadOrg(db, orgId);
  if (!city) return null;
  const { uri } = seen;
  const account = await db.selectFrom('accounts').select(['handle', 'platform']).where('id', '=', accountId).executeTakeFirstOrThrow();
  const ctx = { db, actor: operatorActor(orgId, city.pack, 'vandalism detection'), packVersion: city.packDigest };
  const id = randomUUID();
  const sources = city.pack.security.sources;
  return runCommand(ctx, { event: 'incident.vandalism_detected', authorize: { action: 'account.view', resource: { orgId } } }, async (trx, now) => {
    const summary = seen.what(`${account.platform} account ${account.handle}`);
    await trx.insertInto('incidents').values({ id, org_id: orgId, kind: 'vandalism', account_id: accountId, status: 'open', summary, platform_id: uri, lead_id: null, opened_at: now.toISOString(), resolved_at: null }).execute();
    // The role the pack names for vandalism (e.g. the IT Director), and whoever may suspend accounts.
    const roles = city.pack.roles.filter((r) => r.id === city.pack.security.vandalismNotifyRole || r.grants.some((g) => g.startsWith('account.suspend'))).map((r) => r.id);
    const suspenders = await roleHolders(trx, orgId, roles);
    const admins = (await trx.selectFrom('account_admins').select('user_id').where('account_id', '=', accountId).execute()).map((a) => a.user_id);
    const notified = await notify(trx, { orgId, userIds: [...suspenders, ...admins], at: now, link: `/accounts/${accountId}`,
      text: `Possible vandalism: ${summary}. Check the account and suspend it if its credentials are compromised; then change its password.` });
    return { result: id, targetType: 'incident', targetId: id, after: { accountId, uri, version: seen.version ?? null, record: seen.recordId ?? null, notified }, sources };
  });
}
