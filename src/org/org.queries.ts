import type { Kysely } from 'kysely';
import type { DB, OrganizationsTable } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';

export interface OrgWithPack {
  org: OrganizationsTable;
  pack: PolicyPack;
  /** SHA-256 of the installed pack: the policy version recorded on every event. */
  packDigest: string;
}

export async function listOrganizations(db: Kysely<DB>): Promise<OrganizationsTable[]> {
  return db.selectFrom('organizations').selectAll().orderBy('name').execute();
}

export async function findOrgBySlug(db: Kysely<DB>, slug: string): Promise<OrganizationsTable | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

// Packs are immutable once installed (a new version is a new row), so caching by digest is safe.
const packCache = new Map<string, PolicyPack>();

export async function loadOrg(db: Kysely<DB>, orgId: string): Promise<OrgWithPack | undefined> {
  const org = await db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
  if (!org) return undefined;
  const row = await db.selectFrom('policy_packs').select(['sha256', 'body'])
    .where('org_id', '=', orgId).where('sha256', '=', org.pack_version).executeTakeFirstOrThrow();
  let pack = packCache.get(row.sha256);
  if (!pack) {
    pack = JSON.parse(row.body) as PolicyPack;
    packCache.set(row.sha256, pack);
  }
  return { org, pack, packDigest: row.sha256 };
}
