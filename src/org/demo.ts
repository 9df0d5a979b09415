// The demo city a new user sees on first run: the Kalispell pack, a few departments and one staff
// member per role, with generated passwords that are printed (and kept in the data folder).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { loadBundledPack } from '../policy/pack.loader.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { createOrganization } from './org.commands.js';
import { addPerson } from '../people/people.commands.js';
import { listDepartments } from '../people/people.queries.js';
import { operatorActor } from '../policy/can.js';

export const DEMO_PACK = 'kalispell-mt';
const DEMO_DEPARTMENTS = ['Communications', 'Information Technology', 'Police', 'Parks and Recreation', 'City Clerk', 'City Attorney'];

export interface DemoStaff {
  email: string;
  password: string;
  displayName: string;
  roles: string[];
}

/** A password that satisfies any pack's rules (upper, lower, digit, symbol, length). */
export function generatePassword(): string {
  return `Cd-${randomBytes(9).toString('base64url')}-7a`;
}

function departmentFor(roleId: string): string {
  if (/it_|tech/.test(roleId)) return 'Information Technology';
  if (/attorney/.test(roleId)) return 'City Attorney';
  if (/clerk/.test(roleId)) return 'City Clerk';
  if (/communications|manager/.test(roleId)) return 'Communications';
  return 'Parks and Recreation';
}

/** Administrators first: the e2e test and the printed credentials start with who can manage staff. */
function rolesInOrder(pack: PolicyPack) {
  const admins = pack.roles.filter((r) => r.grants.some((g) => g.startsWith('staff.manage')));
  return [...admins, ...pack.roles.filter((r) => !admins.includes(r))];
}

export async function seedDemoCity(db: Kysely<DB>): Promise<{ slug: string; name: string; staff: DemoStaff[] }> {
  const loaded = loadBundledPack(DEMO_PACK);
  const pack: PolicyPack = { ...loaded, city: { ...loaded.city } };
  const { orgId, slug, packDigest } = await createOrganization(db, { pack, departments: DEMO_DEPARTMENTS });
  const departments = await listDepartments(db, orgId);
  const operator = operatorActor(orgId, pack, 'operator (demo setup)');
  const ctx = { db, actor: operator, packVersion: packDigest };
  const staff: DemoStaff[] = [];
  for (const role of rolesInOrder(pack)) {
    const local = role.id.replace(/_/g, '.');
    const person: DemoStaff = {
      email: `${local}@${pack.city.emailDomain}`,
      password: generatePassword(),
      displayName: `Demo ${role.title}`,
      roles: [role.id],
    };
    const dept = departments.find((d) => d.name === departmentFor(role.id));
    await addPerson(ctx, { ...person, departmentId: dept?.id ?? null });
    staff.push(person);
  }
  return { slug, name: pack.city.name, staff };
}
