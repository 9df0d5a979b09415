// What every route needs: the database, plus the signed-in person's session. Routes declare the
// permission they need in `config.permission`; the guard in guard.ts enforces it with `can()`.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Action } from '../policy/actions.js';
import type { ResolvedSession } from '../auth/sessions.js';
import type { CommandContext } from '../events/command.js';
import { unauthorized } from './errors.js';
import type { GuardedRoute } from './guard.js';

/** `public`: no sign-in. `self`: any signed-in person, acting on themselves. An action: `can()`. */
/** `anyOf`: a route several roles reach for different reasons (a draft: its author, its approvers, its publisher). */
export type RoutePermission = Action | 'public' | 'self' | { anyOf: readonly Action[] };

/** The actions a route's permission accepts (none for public and self routes). */
export function routeActions(permission: RoutePermission): readonly Action[] {
  if (typeof permission === 'object') return permission.anyOf;
  return permission === 'public' || permission === 'self' ? [] : [permission];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
    /** Routes a person may use between password and second factor (TOTP entry and enrolment). */
    allowBeforeMfa?: boolean;
  }
  interface FastifyRequest {
    civic: ResolvedSession | null;
  }
  interface FastifyInstance {
    db: Kysely<DB>;
    /** Every /api route with the permission it declares (for the authorization matrix test). */
    routeTable: GuardedRoute[];
  }
}

export function sessionOf(request: FastifyRequest): ResolvedSession {
  if (!request.civic) throw unauthorized();
  return request.civic;
}

export function commandContext(request: FastifyRequest): CommandContext {
  const session = sessionOf(request);
  return {
    db: request.server.db,
    actor: session.actor,
    packVersion: session.city.packDigest,
    requestId: request.id,
  };
}
