import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { CommandContext } from '../events/command.js';
import { loadOrg } from '../org/org.queries.js';
import { operatorActor } from '../policy/can.js';

/** An operator command context for a city, for tests that set up data directly. */
export async function cityContext(db: Kysely<DB>, orgId: string): Promise<CommandContext> {
  const city = await loadOrg(db, orgId);
  if (!city) throw new Error(`no city ${orgId}`);
  return {
    db,
    actor: operatorActor(orgId, city.pack, 'operator (test)'),
    packVersion: city.packDigest,
  };
}
