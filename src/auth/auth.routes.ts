import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../http/errors.js';
import { sessionOf } from '../http/context.js';
import { listOrganizations } from '../org/org.queries.js';
import { permissionsOf, scopeOf } from '../policy/can.js';
import { beginTotpEnrolment, changePassword, completeTotp, confirmTotpEnrolment, signIn, signOut } from './auth.commands.js';
import { SESSION_COOKIE, SESSION_TTL_MS } from './sessions.js';

function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  // HTTP-only so scripts cannot read it; SameSite=Strict so other sites cannot ride on it.
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export async function authRoutes(app: FastifyInstance, opts: { secureCookies: boolean; loginRateLimit: number }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/cities', {
    config: { permission: 'public' },
    schema: { tags: ['auth'], summary: 'Cities hosted here (for the sign-in form)' },
  }, async () => {
    const orgs = await listOrganizations(app.db);
    return orgs.map((o) => ({ slug: o.slug, name: o.name }));
  });

  r.post('/api/auth/login', {
    config: { permission: 'public', rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password (step 1 of 2)',
      body: z.object({
        city: z.string().min(1).optional(),
        email: z.string().email(),
        password: z.string().min(1).max(1024),
      }),
    },
  }, async (request, reply) => {
    const orgs = await listOrganizations(app.db);
    const org = request.body.city ? orgs.find((o) => o.slug === request.body.city) : orgs.length === 1 ? orgs[0] : undefined;
    if (!org) {
      throw badRequest('Choose your city', [{ path: 'body.city', message: request.body.city ? 'no such city here' : 'required when several cities are hosted' }]);
    }
    const result = await signIn(app.db, { orgId: org.id, email: request.body.email, password: request.body.password, requestId: request.id });
    setSessionCookie(reply, result.token, opts.secureCookies);
    return { status: result.status, csrfToken: result.csrfToken };
  });

  r.post('/api/auth/totp', {
    config: { permission: 'self', allowBeforeMfa: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Complete sign-in with a TOTP code or a recovery code (step 2 of 2)',
      body: z.object({ code: z.string().optional(), recoveryCode: z.string().optional() })
        .refine((b) => Boolean(b.code) !== Boolean(b.recoveryCode), { message: 'give either code or recoveryCode', path: ['code'] }),
    },
  }, async (request) => {
    await completeTotp(app.db, sessionOf(request), { ...request.body, requestId: request.id });
    return { status: 'signed_in' };
  });

  r.post('/api/auth/totp/enrol', {
    config: { permission: 'self', allowBeforeMfa: true },
    schema: { tags: ['auth'], summary: 'Start two-step verification enrolment: returns the secret and a QR code' },
  }, async (request) => beginTotpEnrolment(app.db, sessionOf(request), request.id));

  r.post('/api/auth/totp/confirm', {
    config: { permission: 'self', allowBeforeMfa: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Confirm enrolment with a code from the app: returns one-time recovery codes',
      body: z.object({ code: z.string().min(6).max(8) }),
    },
  }, async (request) => confirmTotpEnrolment(app.db, sessionOf(request), request.body.code, request.id));

  r.post('/api/auth/logout', {
    config: { permission: 'self', allowBeforeMfa: true },
    schema: { tags: ['auth'], summary: 'Sign out' },
  }, async (request, reply) => {
    await signOut(app.db, sessionOf(request), request.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { status: 'signed_out' };
  });

  r.post('/api/auth/password', {
    config: { permission: 'self', rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (signs out your other sessions)',
      body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
    },
  }, async (request) => {
    await changePassword(app.db, sessionOf(request), { ...request.body, requestId: request.id });
    return { status: 'changed' };
  });

  r.get('/api/session', {
    config: { permission: 'self', allowBeforeMfa: true },
    schema: { tags: ['auth'], summary: 'Who is signed in, their roles and permissions, and the CSRF token' },
  }, async (request) => {
    const s = sessionOf(request);
    const { pack } = s.city;
    return {
      user: {
        id: s.user.id,
        email: s.user.email,
        displayName: s.user.display_name,
        roles: s.actor.roles.map((id) => ({ id, title: pack.roles.find((r) => r.id === id)?.title ?? id })),
        totpEnabled: s.user.totp_enabled === 1,
      },
      city: { slug: s.city.org.slug, name: s.city.org.name },
      mfaPassed: s.mfaPassed,
      csrfToken: s.csrfToken,
      permissions: s.mfaPassed ? permissionsOf(s.actor) : [],
      /** The widest scope of each permission: 'department' means "your department only". */
      scopes: s.mfaPassed ? Object.fromEntries(permissionsOf(s.actor).map((a) => [a, scopeOf(s.actor, a)])) : {},
    };
  });
}
