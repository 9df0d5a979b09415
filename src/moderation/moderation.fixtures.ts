// TEST FIXTURES ONLY. A city (from a bundled pack, or a variant of one) whose connected Bluesky
// account has a post and residents' comments captured and queued, and a connector that records
// what moderation asked of the platform instead of calling one. Never import this outside *.test.ts.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, ModerationItemsTable } from '../db/schema.js';
import type { TestDatabase } from '../testing/databases.js';
import { createTestCity, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { cityContext } from '../testing/context.js';
import { insertTestAccount } from '../accounts/fixtures.js';
import { createVault, type Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import type { RecordInput } from '../archive/record.js';
import { createOrganization } from '../org/org.commands.js';
import { addPerson } from '../people/people.commands.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import type { Capability, Connector, PublishInput } from '../platforms/connector.js';
import { enqueueComments } from './queue.js';
import type { ModerationDeps } from './moderation.commands.js';

/** What the fake platform was asked to do. */
export interface FakePlatform {
  hides: Array<{ reply: string; hidden: boolean }>;
  released: string[];
  published: PublishInput[];
}

export function fakePlatform(): FakePlatform {
  return { hides: [], released: [], published: [] };
}

export function fakeConnector(fake: FakePlatform, options: { platform?: string; capabilities?: Capability[] } = {}): Connector {
  const platform = options.platform ?? 'bluesky';
  const capabilities = new Set<Capability>(options.capabilities ?? ['publish', 'hide_reply', 'respond']);
  const gate = (subject: string, threadId: string, visibility: string): RecordInput => ({
    kind: 'visibility_change', platform, accountId: 'a', subjectId: subject, threadId, dedupeKey: `gate:${fake.hides.length}:${fake.released.length}:${subject}`,
    payload: Buffer.from('{}'), payloadType: 'application/json', meta: { visibility },
  });
  return {
    platform, accountRef: 'did:plc:city', capabilities,
    async publish(input) {
      fake.published.push(input);
      const id = `at://did:plc:city/app.bsky.feed.post/p${fake.published.length}`;
      return { ref: { id, url: `https://example.test/${fake.published.length}` }, alreadyPublished: false, records: [] };
    },
    deletePost: async () => [], readReplies: async () => ({ records: [] }),
    async setReplyHidden(post, reply, hidden) {
      fake.hides.push({ reply: reply.id, hidden });
      return [gate(reply.id, post.id, hidden ? 'hidden' : 'visible')];
    },
    ...(capabilities.has('hold_replies') ? {
      async releaseHeldReply(post: { id: string }, reply: { id: string }) {
        fake.released.push(reply.id);
        return [gate(reply.id, post.id, 'released')];
      },
    } : {}),
    followerSnapshot: async () => { throw new Error('not used'); }, health: async () => ({ ok: true, message: 'ok' }),
  };
}

export const POST = 'at://did:plc:city/app.bsky.feed.post/1';

export interface CommentSpec {
  text: string;
  /** Residents with the same number are the same person. */
  author: number;
  meta?: Record<string, unknown>;
}

let serial = 0;

export function commentRecord(accountId: string, spec: CommentSpec): RecordInput {
  const n = ++serial;
  return {
    kind: 'comment', platform: 'bluesky', accountId, platformId: `at://did:plc:res${spec.author}/app.bsky.feed.post/c${n}`, platformVersion: `v${n}`,
    parentId: POST, threadId: POST, author: { id: `did:plc:res${spec.author}`, handle: `res${spec.author}.test` }, text: spec.text,
    payload: Buffer.from(JSON.stringify({ n, text: spec.text })), payloadType: 'application/json', ...(spec.meta ? { meta: spec.meta } : {}),
  };
}

/** createTestCity, with a pack of the caller's making (a variant of a bundled one). */
export async function createCityWithPack(db: Kysely<DB>, pack: PolicyPack, slug: string): Promise<TestCity> {
  const { orgId } = await createOrganization(db, { pack, slug, departments: ['Communications', 'Parks'] });
  const ctx = await cityContext(db, orgId);
  const staffByRole: Record<string, string> = {};
  for (const role of pack.roles) {
    const email = `${role.id}@${slug}.test`;
    await addPerson(ctx, { email, displayName: `Test ${role.title}`, password: TEST_PASSWORD, roles: [role.id] });
    staffByRole[role.id] = email;
  }
  return { orgId, slug, pack, staffByRole };
}

export interface CityWithComments {
  town: TestCity;
  vault: Vault;
  archive: ArchiveDeps;
  accountId: string;
  items: ModerationItemsTable[];
  deps: ModerationDeps;
  fake: FakePlatform;
}

/** The city (a bundled pack id, or a pack with a slug), its connected Bluesky account, a post, and the comments captured and queued. */
export async function cityWithComments(
  db: TestDatabase, city: string | { pack: PolicyPack; slug: string }, comments: Array<string | CommentSpec>, options: { capabilities?: Capability[]; vault?: Vault } = {},
): Promise<CityWithComments> {
  const town = typeof city === 'string' ? await createTestCity(db.db, city, { slug: `${city.split('-')[0]}${++serial}` }) : await createCityWithPack(db.db, city.pack, city.slug);
  const vault = options.vault ?? createVault(randomBytes(32));
  const archive = testArchiveDeps(db.db, db.dialect);
  const accountId = await insertTestAccount(db.db, town.orgId, { platform: 'bluesky', handle: `${town.slug}.test`, status: 'active' });
  const sealed = vault.encrypt({ orgId: town.orgId, accountId, kind: 'connector_token' }, JSON.stringify({ service: 'http://127.0.0.1:1', identifier: 'city.test', appPassword: 'app-password-1' }));
  const at = new Date().toISOString();
  await db.db.insertInto('vault_secrets').values({ id: `v-${accountId}`, org_id: town.orgId, account_id: accountId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();
  const post: RecordInput = { kind: 'post', platform: 'bluesky', accountId, platformId: POST, platformVersion: `p-${town.orgId}`, threadId: POST, text: 'The splash pad at Woodland Park opens Monday.', payload: Buffer.from(`{"org":"${town.orgId}"}`), payloadType: 'application/json' };
  const records = [post, ...comments.map((c, i) => commentRecord(accountId, typeof c === 'string' ? { text: c, author: i + 1 } : c))];
  await enqueueComments(db.db, town.orgId, records, await capture(archive, town.orgId, records));
  const ids = records.slice(1).map((r) => r.platformId as string);
  const rows = await db.db.selectFrom('moderation_items').selectAll().where('org_id', '=', town.orgId).execute();
  const items = ids.map((id) => rows.find((r) => r.platform_id === id)).filter((r): r is ModerationItemsTable => r !== undefined);
  const fake = fakePlatform();
  return { town, vault, archive, accountId, items, fake, deps: { archive, vault, open: async () => fakeConnector(fake, { capabilities: options.capabilities }) } };
}
