// The credential vault's API (RL-5). No response carries a ciphertext or fingerprint, and only the
// reveal route carries a value. Bodies are never logged (Fastify logs method, URL and status only),
// and validation messages describe the rule broken, never the value submitted.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { forbidden, notFound } from '../http/errors.js';
import { decide } from '../policy/can.js';
import { MIN_REVEAL_REASON, revealSecret, storeSecret } from './vault.commands.js';
import { listSecrets } from './vault.queries.js';
import { SECRET_KINDS, type Vault } from './vault.js';

export interface VaultRoutesOptions {
  vault: Vault;
  /** Reveal attempts per person per minute: six-digit codes must not be guessable by repetition. */
  revealRateLimit?: number;
}

/** Longest value accepted: recovery-code lists and connector tokens run to a few kilobytes. */
export const MAX_SECRET_LENGTH = 16 * 1024;

const idParams = z.object({ id: z.string().min(1).max(200) });
const kindParams = idParams.extend({ kind: z.enum(SECRET_KINDS) });

const metadata = z.object({
  kind: z.enum(SECRET_KINDS),
  label: z.string().nullable(),
  updatedAt: z.string(),
  expiresAt: z.string().nullable(),
  keyId: z.string(),
});

// Secret-bearing replies must not sit in a browser or proxy cache.
function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

export async function vaultRoutes(app: FastifyInstance, opts: VaultRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { vault } = opts;

  r.get('/api/accounts/:id/secrets', {
    config: { permission: 'credentials.view' },
    schema: {
      tags: ['vault'],
      summary: 'What is on file for an account (kinds, labels, dates): never the values',
      params: idParams,
      response: { 200: z.array(metadata) },
    },
  }, async (request, reply) => {
    const { actor } = sessionOf(request);
    const account = await app.db.selectFrom('accounts').select(['id', 'department_id'])
      .where('org_id', '=', actor.orgId).where('id', '=', request.params.id).executeTakeFirst();
    if (!account) throw notFound('Account');
    const decision = decide(actor, 'credentials.view', { orgId: actor.orgId, departmentId: account.department_id });
    if (!decision.allowed) throw forbidden(`Not allowed: ${decision.reason}`, 'credentials.view', decision.sources);
    noStore(reply);
    return listSecrets(app.db, actor.orgId, account.id);
  });

  r.put('/api/accounts/:id/secrets/:kind', {
    config: { permission: 'credentials.manage' },
    schema: {
      tags: ['vault'],
      summary: 'Store or replace an account\'s secret (all fields are replaced; the value is encrypted and never shown in lists)',
      params: kindParams,
      body: z.object({
        value: z.string().min(1).max(MAX_SECRET_LENGTH),
        label: z.string().trim().max(200).nullable().optional()
          .describe('Kept in the public record of the change: never put a secret here'),
        expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
      }),
      response: { 200: metadata.extend({ accountId: z.string(), replaced: z.boolean() }) },
    },
  }, async (request, reply) => {
    const stored = await storeSecret(commandContext(request), vault, { accountId: request.params.id, kind: request.params.kind, ...request.body });
    noStore(reply);
    return stored;
  });

  r.post('/api/accounts/:id/secrets/:kind/reveal', {
    config: {
      permission: 'credentials.view',
      // Counted per person after sign-in is resolved (preHandler), so one person's attempts
      // cannot lock out another at the same address.
      rateLimit: {
        max: opts.revealRateLimit ?? 10,
        timeWindow: '1 minute',
        hook: 'preHandler',
        keyGenerator: (request: FastifyRequest) => request.civic?.user.id ?? request.ip,
      },
    },
    schema: {
      tags: ['vault'],
      summary: 'Show a secret: needs a fresh code from your authenticator and a reason, both kept in the public record (except the code)',
      params: kindParams,
      body: z.object({
        totpCode: z.string().min(6).max(10),
        reason: z.string().trim().min(MIN_REVEAL_REASON).max(1000),
      }),
    },
  }, async (request, reply) => {
    const revealed = await revealSecret(commandContext(request), vault, {
      accountId: request.params.id, kind: request.params.kind, totpCode: request.body.totpCode, reason: request.body.reason,
    });
    noStore(reply);
    return revealed;
  });
}
