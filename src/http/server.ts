import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { LoggerOptions } from 'pino';
import type { DB } from '../db/schema.js';
import { authRoutes } from '../auth/auth.routes.js';
import { eventsRoutes } from '../events/events.routes.js';
import { orgRoutes } from '../org/org.routes.js';
import { peopleRoutes } from '../people/people.routes.js';
import { publicRoutes } from '../public/public.routes.js';
import { archiveRoutes } from '../archive/archive.routes.js';
import { recordsRoutes } from '../archive/records.routes.js';
import { vaultRoutes } from '../accounts/vault.routes.js';
import { platformRoutes } from '../platforms/platforms.routes.js';
import { contentRoutes } from '../content/content.routes.js';
import { moderationRoutes } from '../moderation/moderation.routes.js';
import { recordsRequestsRoutes } from '../records/requests.routes.js';
import { recordsProductionsRoutes } from '../records/productions.routes.js';
import { facebookWebhookRoutes } from '../platforms/facebook/webhooks.routes.js';
import { accountsRoutes } from '../accounts/accounts.routes.js';
import { requestsRoutes } from '../accounts/requests.routes.js';
import { trainingRoutes } from '../people/training.routes.js';
import { notificationsRoutes } from '../people/notifications.routes.js';
import type { Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { registerErrorHandling } from './error-handler.js';
import { registerGuard } from './guard.js';

// Both src/http and dist/http sit two levels below the repository root.
const ROOT = new URL('../../', import.meta.url);
export const WEB_DIST = fileURLToPath(new URL('web/dist/', ROOT));
const USWDS_DIST = fileURLToPath(new URL('node_modules/@uswds/uswds/dist/', ROOT));

export interface AppOptions {
  db: Kysely<DB>;
  logger?: LoggerOptions | false;
  /** Set when served over HTTPS (behind a proxy): cookies get the Secure flag. */
  secureCookies?: boolean;
  /** Login attempts per minute per address; tests raise it. */
  loginRateLimit?: number;
  /** The archive (blob and key stores); its routes are served when given. */
  archive?: ArchiveDeps;
  /** The credential vault (key from a file or the environment, never the database). */
  vault?: Vault;
  /** Meta app secret and handshake token: serves /api/webhooks/facebook when given. */
  facebookWebhook?: { appSecret: string; verifyToken: string };
  /** Called when an account is connected to its platform (starts live capture). */
  onConnectorConnected?: () => void;
  /** Where records-request packages are written (the data folder's productions/ in a deployment). */
  productionsDir?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', options.db);
  // The guard goes first so that every /api route registered after it is checked and listed.
  app.decorate('routeTable', registerGuard(app));
  registerErrorHandling(app);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'CivicDesk API', version: '0.1.0', description: 'Run a city\'s official social media under its adopted policy.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'civicdesk_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { config: { permission: 'public' }, schema: { tags: ['meta'], summary: 'Liveness' } }, async () => ({ ok: true }));

  await app.register(authRoutes, { secureCookies: options.secureCookies ?? false, loginRateLimit: options.loginRateLimit ?? 10 });
  await app.register(peopleRoutes);
  await app.register(orgRoutes);
  await app.register(eventsRoutes);
  await app.register(publicRoutes);
  await app.register(accountsRoutes);
  await app.register(requestsRoutes);
  await app.register(trainingRoutes);
  await app.register(notificationsRoutes);
  if (options.vault) await app.register(vaultRoutes, { vault: options.vault });
  if (options.archive) {
    await app.register(archiveRoutes, { archive: options.archive });
    await app.register(recordsRoutes, { archive: options.archive });
    await app.register(recordsRequestsRoutes, { archive: options.archive, productionsDir: options.productionsDir });
    await app.register(recordsProductionsRoutes);
    if (options.vault) await app.register(platformRoutes, { archive: options.archive, vault: options.vault, onConnected: options.onConnectorConnected });
    if (options.vault) await app.register(contentRoutes, { archive: options.archive, vault: options.vault });
    if (options.vault) await app.register(moderationRoutes, { archive: options.archive, vault: options.vault });
    if (options.vault && options.facebookWebhook) {
      await app.register(facebookWebhookRoutes, { archive: options.archive, vault: options.vault, ...options.facebookWebhook });
    }
  }

  if (existsSync(USWDS_DIST)) {
    await app.register(fastifyStatic, { root: USWDS_DIST, prefix: '/uswds/', decorateReply: false });
  }
  const hasWeb = existsSync(WEB_DIST);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false });
  }
  // The web app routes on the client: any other GET for a page gets index.html; the API gets JSON 404s.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage = request.method === 'GET' && !path.startsWith('/api') && !path.startsWith('/p/');
    if (wantsPage && hasWeb) return reply.type('text/html; charset=utf-8').sendFile('index.html', WEB_DIST);
    return reply.status(404).send({ error: 'not_found', message: `No route ${request.method} ${path}` });
  });
  return app;
}
