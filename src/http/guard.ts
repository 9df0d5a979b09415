// The gate in front of every /api route: resolves the session cookie, requires a second factor,
// checks CSRF on unsafe methods, and asks can() for the route's declared permission. A route that
// declares no permission is refused at start-up, so none can skip the check by omission.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveSession, SESSION_COOKIE } from '../auth/sessions.js';
import { decide, permissionsOf } from '../policy/can.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import { routeActions, type RoutePermission } from './context.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface GuardedRoute {
  method: string;
  url: string;
  permission: RoutePermission;
}

export function registerGuard(app: FastifyInstance): GuardedRoute[] {
  app.decorateRequest('civic', null);
  const table: GuardedRoute[] = [];

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const permission = route.config?.permission;
    if (permission === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no permission (config.permission)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, permission });
    }
  });

  // preValidation, not preHandler: a person without the permission learns nothing, not even which fields are wrong.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const permission = request.routeOptions.config?.permission;
    if (permission === undefined) return; // not an API route (static files, public pages)
    const token = request.cookies[SESSION_COOKIE];
    request.civic = token ? await resolveSession(app.db, token) : null;
    if (permission === 'public') return;

    const session = request.civic;
    if (!session) throw unauthorized();
    if (!session.mfaPassed && !request.routeOptions.config?.allowBeforeMfa) {
      throw new AppError(401, 'second_factor_required', 'Finish two-step verification first');
    }
    if (UNSAFE.has(request.method)) checkCsrf(request, session.csrfToken);
    if (permission === 'self') return;

    // The route gate asks whether the person holds the action at all (any scope); the command then
    // checks it against the specific resource (e.g. their own department).
    const accepted = routeActions(permission);
    const held = permissionsOf(session.actor);
    if (!accepted.some((action) => held.includes(action))) {
      const first = accepted[0]!;
      const decision = decide(session.actor, first, { orgId: session.actor.orgId });
      const reason = accepted.length > 1 ? `needs one of ${accepted.join(', ')}` : decision.reason;
      throw forbidden(`Not allowed: ${reason}`, accepted.join('|'), decision.sources);
    }
  });
  return table;
}

function checkCsrf(request: FastifyRequest, expected: string): void {
  const sent = request.headers['x-csrf-token'];
  const value = Array.isArray(sent) ? sent[0] : sent;
  const a = Buffer.from(value ?? '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new AppError(403, 'csrf', 'Missing or wrong CSRF token: reload the page and try again');
  }
}
