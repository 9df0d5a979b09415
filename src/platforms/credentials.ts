// What a connector needs to sign in, per platform. Stored sealed in the credential vault as the
// account's `connector_token` secret (JSON), never in plain columns or logs.
import { z } from 'zod';
import { badRequest } from '../http/errors.js';

const url = z.string().url().max(500);

export const BlueskyCredentials = z.strictObject({
  /** The account's PDS, e.g. https://bsky.social. */
  service: url,
  identifier: z.string().min(3).max(253),
  /** An app password (Settings → App passwords), not the account's main password. */
  appPassword: z.string().min(8).max(200),
  /** Where replies are read live; default: the PDS's own firehose. Production: a relay (wss://bsky.network). */
  firehose: url.optional(),
  /** DID directory; default https://plc.directory. */
  plc: url.optional(),
  /** Whether an AppView answers app.bsky.* reads through the PDS (true on bsky.social). */
  appView: z.boolean().optional(),
});

export const FacebookCredentials = z.strictObject({
  pageId: z.string().regex(/^\d{1,30}$/, 'a numeric Page id'),
  /** A long-lived Page access token. */
  pageToken: z.string().min(8).max(1000),
  graphUrl: url.optional(),
});

export type BlueskyCredentials = z.infer<typeof BlueskyCredentials>;
export type FacebookCredentials = z.infer<typeof FacebookCredentials>;
export type ConnectorCredentials = { platform: 'bluesky'; value: BlueskyCredentials } | { platform: 'facebook'; value: FacebookCredentials };

export const CONNECTABLE_PLATFORMS = ['bluesky', 'facebook'] as const;

/** Checks credentials for a platform; a 400 naming each bad field otherwise. */
export function parseCredentials(platform: string, raw: unknown, path = 'body.credentials'): ConnectorCredentials {
  const schema = platform === 'bluesky' ? BlueskyCredentials : platform === 'facebook' ? FacebookCredentials : null;
  if (!schema) throw badRequest(`CivicDesk has no connector for ${platform} yet`, [{ path: 'account.platform', message: `connectable: ${CONNECTABLE_PLATFORMS.join(', ')}` }]);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw badRequest('The connector credentials are not valid', parsed.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].join('.'), message: i.message })));
  }
  return { platform, value: parsed.data } as ConnectorCredentials;
}
