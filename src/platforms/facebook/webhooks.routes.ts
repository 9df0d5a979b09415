// Meta's webhook for Page `feed` changes: the subscription handshake, and deliveries that are
// accepted only with a valid X-Hub-Signature-256 over the exact bytes received. Each change is
// captured into the archive of the city whose connected Page it concerns; nothing else happens
// here (moderation reads the archive; machines never act on speech by themselves).
import type { FastifyInstance } from 'fastify';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { capture } from '../../archive/capture.js';
import type { Vault } from '../../accounts/vault.js';
import { credentialsOf } from '../registry.js';
import { enqueueComments } from '../../moderation/queue.js';
import { handshake, parseFeedWebhook, verifySignature, type WebhookQuery } from './webhooks.js';

export interface FacebookWebhookOptions {
  archive: ArchiveDeps;
  vault: Vault;
  /** The Meta app's secret (CIVICDESK_FACEBOOK_APP_SECRET) and the handshake token (CIVICDESK_FACEBOOK_VERIFY_TOKEN). */
  appSecret: string;
  verifyToken: string;
}

/** Connected Facebook accounts by Page id, across the cities hosted here. */
async function pagesToAccounts(archive: ArchiveDeps, vault: Vault): Promise<Map<string, { orgId: string; accountId: string }>> {
  const accounts = await archive.db.selectFrom('accounts').select(['id', 'org_id']).where('platform', '=', 'facebook')
    .where('connector_status', '!=', 'not_connected').execute();
  const map = new Map<string, { orgId: string; accountId: string }>();
  for (const a of accounts) {
    const c = await credentialsOf(archive.db, vault, a.org_id, a.id);
    if (c?.platform === 'facebook') map.set(c.value.pageId, { orgId: a.org_id, accountId: a.id });
  }
  return map;
}

export async function facebookWebhookRoutes(app: FastifyInstance, opts: FacebookWebhookOptions): Promise<void> {
  // The signature covers the raw bytes: keep them (this parser applies inside this plugin only).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get('/api/webhooks/facebook', { config: { permission: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const answer = handshake(request.query as WebhookQuery, opts.verifyToken);
    if (answer.status === 403) return reply.code(403).send({ error: 'forbidden', message: 'verify token does not match' });
    return reply.type('text/plain').send(answer.body);
  });

  app.post('/api/webhooks/facebook', { config: { permission: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers['x-hub-signature-256'];
    if (!verifySignature(raw, typeof header === 'string' ? header : undefined, opts.appSecret)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'X-Hub-Signature-256 does not match this app\'s secret' });
    }
    const pages = await pagesToAccounts(opts.archive, opts.vault);
    const records = parseFeedWebhook(raw, (pageId) => pages.get(pageId)?.accountId);
    const byOrg = new Map<string, typeof records>();
    for (const r of records) {
      const page = [...pages.values()].find((p) => p.accountId === r.accountId);
      if (page) byOrg.set(page.orgId, [...(byOrg.get(page.orgId) ?? []), r]);
    }
    for (const [orgId, list] of byOrg) {
      const captured = await capture(opts.archive, orgId, list);
      await enqueueComments(opts.archive.db, orgId, list, captured);
    }
    return { received: records.length };
  });
}
