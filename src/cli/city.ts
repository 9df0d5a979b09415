import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { findOrgBySlug, listOrganizations, loadOrg, type OrgWithPack } from '../org/org.queries.js';
import { operatorActor } from '../policy/can.js';
import type { CommandContext } from '../events/command.js';
import { CliError } from './main.js';

/** `--city` may be left out when the deployment hosts one city. */
export async function cityFor(db: Kysely<DB>, slug: string | undefined): Promise<OrgWithPack> {
  const orgs = await listOrganizations(db);
  if (orgs.length === 0) throw new CliError('no city is set up yet: run `civicdesk init --pack <id>` (or `civicdesk start` for the demo)', 2);
  const org = slug ? await findOrgBySlug(db, slug) : orgs.length === 1 ? orgs[0] : undefined;
  if (!org) {
    const names = orgs.map((o) => o.slug).join(', ');
    throw new CliError(slug ? `no city "${slug}" here (cities: ${names})` : `several cities are hosted: choose one with --city (${names})`, 2);
  }
  const city = await loadOrg(db, org.id);
  if (!city) throw new CliError(`city ${org.slug} has no policy pack installed`, 1);
  return city;
}

/** The person at the server console acts as the operator; their actions are logged as such. */
export function operatorContext(db: Kysely<DB>, city: OrgWithPack): CommandContext {
  const actor = operatorActor(city.org.id, city.pack, `operator (CLI, ${process.env.USER ?? 'unknown user'})`);
  return { db, actor, packVersion: city.packDigest };
}
