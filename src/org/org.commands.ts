// Creating a city installs its policy pack. Only the server operator (CLI `init`, or first-run
// demo setup) does this: it is how a deployment gains a tenant.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { packDigest, validatePackForUse } from '../policy/pack.loader.js';
import { runCommand } from '../events/command.js';
import { conflict } from '../http/errors.js';
import { operatorActor } from '../policy/can.js';

export function slugify(name: string): string {
  return name.toLowerCase().replace(/^(city|town|village) of /, '').normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'city';
}

export async function createOrganization(
  db: Kysely<DB>,
  input: { pack: PolicyPack; slug?: string; departments?: string[] },
): Promise<{ orgId: string; slug: string; packDigest: string }> {
  validatePackForUse(input.pack);
  const slug = input.slug ?? slugify(input.pack.city.name);
  const existing = await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
  if (existing) throw conflict(`A city with the address name "${slug}" already exists`);

  const orgId = randomUUID();
  const digest = packDigest(input.pack);
  const operator = operatorActor(orgId, input.pack, 'operator (CLI)');
  await runCommand({ db, actor: operator, packVersion: digest }, { event: 'city.created', authorize: 'self' },
    async (trx, now) => {
      const at = now.toISOString();
      await trx.insertInto('organizations').values({
        id: orgId, slug, name: input.pack.city.name, pack_id: input.pack.id, pack_version: digest, created_at: at,
      }).execute();
      await trx.insertInto('policy_packs').values({
        id: randomUUID(), org_id: orgId, pack_id: input.pack.id, version: input.pack.version, sha256: digest,
        body: JSON.stringify(input.pack), installed_at: at,
      }).execute();
      for (const name of input.departments ?? []) {
        await trx.insertInto('departments').values({ id: randomUUID(), org_id: orgId, name, created_at: at }).execute();
      }
      return {
        result: undefined,
        targetType: 'city',
        targetId: orgId,
        after: { slug, name: input.pack.city.name, pack: input.pack.id, packVersion: input.pack.version, digest },
        sources: ['MN-1'],
      };
    });
  return { orgId, slug, packDigest: digest };
}
