// Connecting an account to its platform and seeing whether the connector works. Credentials go
// straight to the vault (sealed); no response carries them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { connectAccount } from './platforms.commands.js';
import { checkConnector } from './platforms.runtime.js';
import { CONNECTABLE_PLATFORMS } from './credentials.js';

export interface PlatformRoutesOptions {
  vault: Vault;
  archive: ArchiveDeps;
  /** Told when an account was connected, so live capture starts without a restart. */
  onConnected?: () => void;
}

const idParams = z.object({ id: z.string().min(1).max(200) });
const connection = z.object({
  accountId: z.string(),
  platform: z.string(),
  status: z.string(),
  connectable: z.boolean(),
  expiresAt: z.string().nullable(),
  checkedAt: z.string().nullable(),
  message: z.string().nullable(),
});

export async function platformRoutes(app: FastifyInstance, opts: PlatformRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const view = async (orgId: string, accountId: string) => {
    const a = await app.db.selectFrom('accounts').select(['id', 'platform', 'connector_status', 'connector_expires_at', 'connector_checked_at', 'connector_message'])
      .where('org_id', '=', orgId).where('id', '=', accountId).executeTakeFirst();
    if (!a) throw notFound('Account');
    return {
      accountId: a.id, platform: a.platform, status: a.connector_status, connectable: (CONNECTABLE_PLATFORMS as readonly string[]).includes(a.platform),
      expiresAt: a.connector_expires_at, checkedAt: a.connector_checked_at, message: a.connector_message,
    };
  };

  r.get('/api/accounts/:id/connector', {
    config: { permission: 'account.view' },
    schema: { tags: ['platforms'], summary: 'Whether the account\'s connector works, and when its credential expires', params: idParams, response: { 200: connection } },
  }, async (request) => view(sessionOf(request).actor.orgId, request.params.id));

  r.post('/api/accounts/:id/connector', {
    config: { permission: 'credentials.manage' },
    schema: {
      tags: ['platforms'],
      summary: 'Connect the account: CivicDesk signs in first and keeps the credentials sealed in the vault only if they work',
      params: idParams,
      body: z.object({ credentials: z.record(z.string(), z.unknown()) }),
      response: { 200: connection },
    },
  }, async (request, reply) => {
    await connectAccount(commandContext(request), opts.vault, { accountId: request.params.id, credentials: request.body.credentials });
    opts.onConnected?.();
    reply.header('cache-control', 'no-store');
    return view(sessionOf(request).actor.orgId, request.params.id);
  });

  r.post('/api/accounts/:id/connector/check', {
    config: { permission: 'account.manage' },
    schema: { tags: ['platforms'], summary: 'Check the connector now (as the scheduled check does)', params: idParams, response: { 200: connection } },
  }, async (request) => {
    const orgId = sessionOf(request).actor.orgId;
    await view(orgId, request.params.id);
    await checkConnector({ archive: opts.archive, vault: opts.vault }, orgId, request.params.id);
    return view(orgId, request.params.id);
  });
}
