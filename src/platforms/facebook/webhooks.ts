// Facebook Page webhooks: proving a delivery came from Meta (HMAC of the raw body with the app
// secret), answering the subscription handshake, and turning `feed` changes into archive records.
// Parsing never throws: Meta retries a delivery that fails, so one odd change must not block the rest.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordInput } from '../../archive/record.js';
import { asArray, asObject, asString, type JsonObject } from './graph.js';
import { commentVersion, isoTime, JSON_TYPE, PLATFORM, utf8 } from './records.js';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** True only when `X-Hub-Signature-256` is `sha256=<hex>` of the raw body under the app secret. */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!appSecret || typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

export type WebhookQuery = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Answers Meta's GET subscription check: echo the challenge only if the verify token matches. */
export function handshake(query: WebhookQuery, verifyToken: string): { status: 200; body: string } | { status: 403 } {
  const mode = single(query['hub.mode']);
  const token = single(query['hub.verify_token']);
  const challenge = single(query['hub.challenge']);
  if (mode !== 'subscribe' || !verifyToken || token === undefined || challenge === undefined) return { status: 403 };
  const a = Buffer.from(token);
  const b = Buffer.from(verifyToken);
  // Compare in constant time; lengths leak nothing useful (the token is a long random string).
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 403 };
  return { status: 200, body: challenge };
}

const POST_ITEMS = new Set(['post', 'status', 'photo', 'video', 'share']);

function changeRecord(value: JsonObject, accountId: string): RecordInput | undefined {
  const item = asString(value.item);
  const verb = asString(value.verb);
  const postId = asString(value.post_id);
  const isComment = item === 'comment';
  if (!isComment && !(item && POST_ITEMS.has(item))) return undefined; // reactions, likes, events, ...
  const id = isComment ? asString(value.comment_id) : postId;
  if (!id || !verb) return undefined;
  const created = isoTime(value.created_time);
  const from = asObject(value.from);
  const base = {
    platform: PLATFORM, accountId, payload: utf8(JSON.stringify(value)), payloadType: JSON_TYPE,
    author: from ? { id: asString(from.id), name: asString(from.name) } : undefined,
  };
  const thread = isComment ? postId : undefined;
  switch (verb) {
    case 'add':
    case 'edited': {
      const message = asString(value.message);
      const edited = verb === 'edited';
      return {
        ...base, kind: isComment ? (edited ? 'comment_version' : 'comment') : (edited ? 'post_version' : 'post'), platformId: id,
        // Same version scheme as polling, so a comment seen both ways is one record.
        platformVersion: isComment ? commentVersion(created, message) : created,
        parentId: isComment ? (asString(value.parent_id) ?? postId) : undefined, threadId: thread,
        platformTimes: created ? { [edited ? 'edited' : 'created']: created } : undefined, text: message,
        meta: { via: 'webhook', verb },
      };
    }
    case 'remove':
      return {
        ...base, kind: 'deletion', subjectId: id, threadId: thread,
        // Same key as the connector's own deletion record: one deletion, however it was seen.
        dedupeKey: `facebook:${accountId}:deletion:${id}`,
        platformTimes: created ? { deleted: created } : undefined, meta: { via: 'webhook', item },
      };
    case 'hide':
    case 'unhide': {
      const visibility = verb === 'hide' ? 'hidden' : 'visible';
      return {
        ...base, kind: 'visibility_change', subjectId: id, threadId: thread,
        dedupeKey: `facebook:${accountId}:visibility:${id}:${visibility}:webhook:${created ?? 'unknown'}`,
        platformTimes: created ? { changed: created } : undefined, meta: { via: 'webhook', visibility },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Archive records for a `page` webhook delivery's `feed` changes. Entries for Pages CivicDesk does
 * not run (accountIdForPage returns undefined) and shapes it does not know are skipped.
 */
export function parseFeedWebhook(rawBody: Buffer | string, accountIdForPage: (pageId: string) => string | undefined): RecordInput[] {
  let body: unknown;
  try { body = JSON.parse(rawBody.toString()); } catch { return []; }
  const root = asObject(body);
  if (!root || root.object !== 'page') return [];
  const records: RecordInput[] = [];
  for (const rawEntry of asArray(root.entry)) {
    const entry = asObject(rawEntry);
    const pageId = asString(entry?.id);
    const accountId = pageId ? accountIdForPage(pageId) : undefined;
    if (!entry || !accountId) continue;
    for (const rawChange of asArray(entry.changes)) {
      const change = asObject(rawChange);
      const value = asObject(change?.value);
      if (change?.field !== 'feed' || !value) continue;
      const record = changeRecord(value, accountId);
      if (record) records.push(record);
    }
  }
  return records;
}
