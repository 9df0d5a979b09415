// The one authorization function. Every route and every command asks it; the answer comes only
// from the roles the city's policy pack defines and the roles a person holds.
import type { PolicyPack } from './pack.schema.js';
import { ACTIONS, type Action, type Scope } from './actions.js';
import { parseGrant, type Grant } from './grants.js';

/** A pack's grant as can() reads it; packs are validated on load, so a bad grant is simply skipped. */
function grantOf(raw: string): Grant | null {
  const parsed = parseGrant(raw);
  return parsed.ok ? parsed.grant : null;
}

export interface Actor {
  kind: 'user' | 'operator';
  userId: string | null;
  orgId: string;
  /** Shown in the event log: a person's name and e-mail, or "operator (CLI)". */
  label: string;
  roles: string[];
  departmentId: string | null;
  /** The pack of the actor's city: the only source of what each role may do. */
  pack: PolicyPack;
}

/** The person at the server console (CLI, first-run setup): recorded under `label` on every event. */
export function operatorActor(orgId: string, pack: PolicyPack, label: string): Actor {
  return { kind: 'operator', userId: null, orgId, label, roles: [], departmentId: null, pack };
}

export interface Resource {
  orgId: string;
  departmentId?: string | null;
  ownerId?: string | null;
}

export interface Decision {
  allowed: boolean;
  /** Why, in words staff understand, naming the roles that would allow it. */
  reason: string;
  sources: string[];
}

export function decide(actor: Actor, action: Action, resource: Resource): Decision {
  const { pack } = actor;
  // Cities never see each other's data, whatever their roles say.
  if (actor.orgId !== resource.orgId) {
    return { allowed: false, reason: 'belongs to another city', sources: [] };
  }
  // The operator at the server console (CLI) administers the installation itself.
  if (actor.kind === 'operator') return { allowed: true, reason: 'server operator', sources: [] };

  const holders: string[] = [];
  const sources = new Set<string>();
  for (const role of pack.roles) {
    for (const raw of role.grants) {
      const grant = grantOf(raw);
      if (!grant || grant.action !== action) continue;
      holders.push(role.title);
      role.sources.forEach((s) => sources.add(s));
      if (!actor.roles.includes(role.id)) continue;
      if (scopeCovers(grant.scope, actor, resource)) {
        return { allowed: true, reason: `held by ${role.title}`, sources: role.sources };
      }
    }
  }
  const who = holders.length ? `only ${[...new Set(holders)].join(', ')} may do this` : 'no role in this city\'s policy may do this';
  return { allowed: false, reason: `${action}: ${who}`, sources: [...sources] };
}

function scopeCovers(scope: Scope, actor: Actor, resource: Resource): boolean {
  if (scope === 'city') return true;
  if (scope === 'department') {
    return resource.departmentId != null && resource.departmentId === actor.departmentId;
  }
  return resource.ownerId != null && resource.ownerId === actor.userId;
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  return decide(actor, action, resource).allowed;
}

/** The widest scope at which the actor holds an action, or null: lists are filtered by it. */
export function scopeOf(actor: Actor, action: Action): Scope | null {
  if (actor.kind === 'operator') return 'city';
  let best: Scope | null = null;
  const rank: Record<Scope, number> = { own: 0, department: 1, city: 2 };
  for (const role of actor.pack.roles) {
    if (!actor.roles.includes(role.id)) continue;
    for (const raw of role.grants) {
      const grant = grantOf(raw);
      if (grant?.action === action && (best === null || rank[grant.scope] > rank[best])) best = grant.scope;
    }
  }
  return best;
}

/** Every action the actor holds somewhere (any scope), for the UI to show only what applies. */
export function permissionsOf(actor: Actor): Action[] {
  const { pack } = actor;
  if (actor.kind === 'operator') return [...ACTIONS];
  const out = new Set<Action>();
  for (const role of pack.roles) {
    if (!actor.roles.includes(role.id)) continue;
    for (const raw of role.grants) {
      const grant = grantOf(raw);
      if (grant) out.add(grant.action);
    }
  }
  return [...out].sort();
}
