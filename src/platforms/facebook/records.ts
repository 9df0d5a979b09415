// Graph objects as archive record inputs. Shared by the connector (reads and writes) and the
// webhook parser, so a comment seen by polling and by a webhook lands as the same record.
import type { RecordInput } from '../../archive/record.js';
import { sha256Hex } from '../../archive/record.js';
import type { MediaInput } from '../connector.js';
import { asNumber, asObject, asString, type JsonObject } from './graph.js';

export const PLATFORM = 'facebook';
export const JSON_TYPE = 'application/json';

export const COMMENT_FIELDS = 'id,message,from,created_time,is_hidden,parent{id},attachment,permalink_url';
export const POST_FIELDS = 'id,message,from,created_time,updated_time,permalink_url,is_published,scheduled_publish_time';

const encoder = new TextEncoder();
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Graph times ("2024-05-01T12:00:00+0000") and webhook times (unix seconds) as ISO 8601. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * Graph exposes no edit time on comments, so a version is the creation time plus a hash of the
 * text: an edited comment read again becomes a new record, an unchanged one dedupes, and polling
 * and webhooks (which both give the creation second and the text) agree on it.
 */
export function commentVersion(createdIso: string | undefined, message: string | undefined): string {
  return `${createdIso ?? 'unknown'}#${sha256Hex(message ?? '').slice(0, 16)}`;
}

function author(value: unknown): RecordInput['author'] {
  const from = asObject(value);
  if (!from) return undefined;
  return { id: asString(from.id), name: asString(from.name) };
}

export interface CommentContext {
  accountId: string;
  /** The post the conversation is under. */
  threadId: string;
  /** Defaults to the raw JSON of the item (a list item has no bytes of its own). */
  payload?: Uint8Array<ArrayBuffer>;
}

/** One Graph comment (as listed under a post or read by id) as a `comment` record. */
export function commentRecord(item: JsonObject, ctx: CommentContext): RecordInput | undefined {
  const id = asString(item.id);
  if (!id) return undefined;
  const created = isoTime(item.created_time);
  const message = asString(item.message);
  // Graph only sends `parent` on replies to comments; a top-level comment's parent is the post.
  const parentId = asString(asObject(item.parent)?.id) ?? ctx.threadId;
  return {
    kind: 'comment', platform: PLATFORM, accountId: ctx.accountId, platformId: id,
    platformVersion: commentVersion(created, message), parentId, threadId: ctx.threadId,
    platformTimes: created ? { created } : undefined, author: author(item.from), text: message,
    payload: ctx.payload ?? utf8(JSON.stringify(item)), payloadType: JSON_TYPE,
    meta: { isHidden: item.is_hidden === true, permalink: asString(item.permalink_url) },
  };
}

/** Media as archive records hold it (a copy: the record type wants bytes on a plain ArrayBuffer). */
export function archiveMedia(media: MediaInput[] | undefined): RecordInput['media'] {
  return media?.map((m) => ({ bytes: new Uint8Array(m.bytes), mime: m.mime, alt: m.alt }));
}

export interface PostContext {
  accountId: string;
  payload: Uint8Array<ArrayBuffer>;
  media?: MediaInput[];
}

/** A Page post read back by id as a `post` record (scheduled posts carry their publish time). */
export function postRecord(item: JsonObject, ctx: PostContext): RecordInput {
  const created = isoTime(item.created_time);
  const updated = isoTime(item.updated_time);
  const scheduled = isoTime(asNumber(item.scheduled_publish_time));
  const times: Record<string, string> = {};
  if (created) times.created = created;
  if (updated) times.updated = updated;
  if (scheduled) times.scheduled = scheduled;
  return {
    kind: 'post', platform: PLATFORM, accountId: ctx.accountId, platformId: asString(item.id),
    // Edits change updated_time; before any edit it equals created_time.
    platformVersion: updated ?? created, platformTimes: times, author: author(item.from),
    text: asString(item.message), payload: ctx.payload, payloadType: JSON_TYPE,
    media: archiveMedia(ctx.media),
    meta: { permalink: asString(item.permalink_url), isPublished: item.is_published !== false, scheduled: scheduled !== undefined },
  };
}
