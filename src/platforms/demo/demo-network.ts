// `civicdesk demo` (and `npm start` for the demo city): a local AT Protocol network on this machine
// with the city's Bluesky account and a few residents who reply from time to time, connected to
// CivicDesk so posting, live capture and moderation work end to end without internet. It is a
// local network: nothing is posted to the real Bluesky.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { capture } from '../../archive/capture.js';
import type { Vault } from '../../accounts/vault.js';
import { loadOrg, type OrgWithPack } from '../../org/org.queries.js';
import { actorFor } from '../../auth/sessions.js';
import { chainFor, submitRequest, decide } from '../../accounts/requests.commands.js';
import { activateAccount } from '../../accounts/accounts.commands.js';
import type { CommandContext } from '../../events/command.js';
import { connectAccount } from '../platforms.commands.js';
import { BlueskyConnector } from '../bluesky/bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from '../bluesky/local-network.js';
import { RESIDENT_REPLIES } from './residents.js';

export const DEMO_HANDLE = 'kalispell.test';

export interface DemoNetwork {
  network: LocalNetwork;
  accountId: string;
  stop(): Promise<void>;
}

export interface DemoDeps {
  db: Kysely<DB>;
  archive: ArchiveDeps;
  vault: Vault;
  log: { info(msg: string): void; warn(msg: string): void };
  /** Mean seconds between resident replies (default 45). */
  replyEverySeconds?: number;
}

async function userContext(db: Kysely<DB>, city: OrgWithPack, roleId: string, exclude: string[] = []): Promise<CommandContext> {
  const rows = await db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id').selectAll('users')
    .where('user_roles.org_id', '=', city.org.id).where('user_roles.role_id', '=', roleId).where('users.status', '=', 'active').execute();
  const user = rows.find((u) => !exclude.includes(u.id));
  if (!user) throw new Error(`the demo city has no active ${roleId}`);
  const roles = (await db.selectFrom('user_roles').select('role_id').where('user_id', '=', user.id).execute()).map((r) => r.role_id);
  return { db, actor: actorFor(user, roles, city), packVersion: city.packDigest };
}

/**
 * The demo city's Bluesky account, created the way any account is: requested by a department
 * director, approved along the pack's chain by the people holding each step's role, then activated.
 */
async function ensureDemoAccount(db: Kysely<DB>, city: OrgWithPack): Promise<string> {
  const existing = await db.selectFrom('accounts').select('id').where('org_id', '=', city.org.id).where('platform', '=', 'bluesky').where('handle', '=', DEMO_HANDLE).executeTakeFirst();
  if (existing) return existing.id;
  const requester = await userContext(db, city, 'department_director');
  await ensurePlatform(db, city, requester);
  const admins = [];
  for (const role of ['communications_manager', 'it_director']) admins.push((await userContext(db, city, role)).actor.userId as string);
  const requestId = await submitRequest(requester, 'newAccount', {
    platform: 'bluesky', handle: DEMO_HANDLE, purpose: 'City news, notices and emergency information (demo account on a local network)',
    signupEmail: `communications@${city.pack.city.emailDomain}`, departmentId: requester.actor.departmentId ?? undefined, administrators: admins,
  });
  const accountId = await approveAlongChain(db, city, requester, requestId, 'newAccount');
  if (!accountId) throw new Error('the demo account request did not create an account');
  await activateAccount(await userContext(db, city, 'communications_manager'), accountId);
  return accountId;
}

/** Each step decided by a holder of its role who has not decided before (no self-approval). */
async function approveAlongChain(db: Kysely<DB>, city: OrgWithPack, requester: CommandContext, requestId: string, type: 'newAccount' | 'platform'): Promise<string | null> {
  const deciders: string[] = [requester.actor.userId as string];
  let accountId: string | null = null;
  for (const step of chainFor(city.pack, type).steps) {
    const approver = await userContext(db, city, step.role, deciders);
    deciders.push(approver.actor.userId as string);
    accountId = (await decide(approver, requestId, { decision: 'approved', comment: 'Approved for the demo' })).accountId;
  }
  return accountId;
}

/** Bluesky is not on every city's approved list: the demo asks for it the way staff would. */
async function ensurePlatform(db: Kysely<DB>, city: OrgWithPack, requester: CommandContext): Promise<void> {
  const approved = await db.selectFrom('approved_platforms').select('platform').where('org_id', '=', city.org.id).where('platform', '=', 'bluesky').executeTakeFirst();
  const inPack = city.pack.platforms.some((p) => p.id === 'bluesky');
  if (approved || inPack) return;
  const requestId = await submitRequest(requester, 'platform', { platform: 'bluesky', name: 'Bluesky', note: 'For the CivicDesk demo on a local network' });
  await approveAlongChain(db, city, requester, requestId, 'platform');
}

export async function startDemoNetwork(deps: DemoDeps, orgId: string): Promise<DemoNetwork> {
  const city = await loadOrg(deps.db, orgId);
  if (!city) throw new Error(`no city ${orgId}`);
  const network = await startLocalNetwork();
  try {
    const accountId = await ensureDemoAccount(deps.db, city);
    const cityOnNetwork = await network.createAccount(DEMO_HANDLE);
    const residents = await Promise.all(['maria', 'dave', 'lin', 'sam'].map((n) => network.createAccount(`${n}.test`)));
    // A fresh network numbers its firehose from 1: the old position would skip everything.
    await deps.db.deleteFrom('platform_cursors').where('account_id', '=', accountId).execute();
    const admin = await userContext(deps.db, city, 'it_director');
    await connectAccount(admin, deps.vault, {
      accountId,
      credentials: { service: network.pdsUrl, identifier: cityOnNetwork.handle, appPassword: cityOnNetwork.password, plc: network.plcUrl, appView: false },
    });
    const connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: cityOnNetwork.handle, password: cityOnNetwork.password, accountId, appView: false });
    const welcome = await connector.publish({
      idempotencyKey: `demo-welcome-${Date.now()}`, firstAttemptAt: new Date().toISOString(),
      text: 'Welcome to the City of Kalispell on Bluesky (CivicDesk demo). Comments are welcome under our acceptable use policy.',
    });
    await capture(deps.archive, orgId, welcome.records);
    const stopResidents = residentChatter(network, residents, connector, deps);
    deps.log.info(`demo: local AT Protocol network at ${network.pdsUrl} (nothing leaves this machine); ${DEMO_HANDLE} and ${residents.length} residents`);
    return {
      network, accountId,
      async stop() {
        stopResidents();
        await network.close();
      },
    };
  } catch (err) {
    await network.close();
    throw err;
  }
}

/** Residents reply to the city's latest post every so often, as real ones would. */
function residentChatter(
  network: LocalNetwork, residents: Array<{ did: string; handle: string; password: string }>, city: BlueskyConnector, deps: DemoDeps,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let n = 0;
  const mean = (deps.replyEverySeconds ?? 45) * 1000;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => void say().finally(next), mean * (0.5 + Math.random()));
  };
  const say = async () => {
    try {
      const list = await city.agent.com.atproto.repo.listRecords({ repo: city.did, collection: 'app.bsky.feed.post', limit: 10 });
      const top = list.data.records.find((r) => !(r.value as { reply?: unknown }).reply);
      if (!top) return;
      const resident = residents[n % residents.length]!;
      const { AtpAgent } = await import('@atproto/api');
      const agent = new AtpAgent({ service: network.pdsUrl });
      await agent.login({ identifier: resident.handle, password: resident.password });
      const text = RESIDENT_REPLIES[n % RESIDENT_REPLIES.length]!;
      n++;
      await agent.post({ text, reply: { root: { uri: top.uri, cid: top.cid }, parent: { uri: top.uri, cid: top.cid } } });
    } catch (err) {
      deps.log.warn(`demo resident could not reply: ${(err as Error).message}`);
    }
  };
  next();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
