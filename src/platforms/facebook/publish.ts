// Publishing to a Page, and finding out whether an earlier attempt already did. Graph has no
// idempotency key, so a retry after a lost response first looks for the post it may have created
// (same text, by the Page, since the first attempt) instead of sending it again.
import { normalizeText } from '../../archive/record.js';
import { ConnectorError } from '../errors.js';
import type { PublishInput } from '../connector.js';
import { asArray, asNumber, asObject, asString, type GraphClient, type GraphResponse, type JsonObject, type Params } from './graph.js';

export type PublishPlan =
  | { kind: 'post' }
  | { kind: 'scheduled'; at: number }
  | { kind: 'reply'; parentId: string; rootId: string };

/** A first attempt older than this may have been sent by a process that died: look before sending. */
export const RECONCILE_AFTER_MS = 5_000;
// Facebook's clock and ours differ; searching a minute earlier than the first attempt covers it.
const CLOCK_SLACK_S = 60;
const MAX_LOOKUP_PAGES = 10;
const MIN_SCHEDULE_MS = 10 * 60_000;
const MAX_SCHEDULE_MS = 30 * 24 * 3_600_000;

export interface PublishContext {
  graph: GraphClient;
  pageId: string;
}

/** Checks what Graph would refuse anyway, before anything is sent, with a message a person can act on. */
export function planPublish(input: PublishInput, now: Date): PublishPlan {
  if (Number.isNaN(Date.parse(input.firstAttemptAt))) throw new ConnectorError('rejected', `firstAttemptAt is not a date: ${input.firstAttemptAt}`);
  if (!input.text.trim() && !input.media?.length && !input.link) throw new ConnectorError('rejected', 'a Facebook post needs text, a link or a photo');
  if (input.link && input.media?.length) {
    throw new ConnectorError('rejected', 'a Facebook post carries either a link preview or photos, not both; put the link in the text or post it separately');
  }
  if (input.replyTo) {
    if (input.scheduledAt) throw new ConnectorError('rejected', 'Facebook cannot schedule a comment; only Page posts can be scheduled');
    // Comment photos cannot carry custom alt text, which every seed policy requires.
    if (input.media?.length) throw new ConnectorError('rejected', 'Facebook comments cannot carry alt text for a photo; reply with text only');
    return { kind: 'reply', parentId: input.replyTo.parent.id, rootId: input.replyTo.root.id };
  }
  if (!input.scheduledAt) return { kind: 'post' };
  const at = Date.parse(input.scheduledAt);
  if (Number.isNaN(at)) throw new ConnectorError('rejected', `scheduledAt is not a date: ${input.scheduledAt}`);
  const ahead = at - now.getTime();
  if (ahead < MIN_SCHEDULE_MS || ahead > MAX_SCHEDULE_MS) {
    throw new ConnectorError('rejected', `Facebook can only schedule a post between 10 minutes and 30 days ahead; ${input.scheduledAt} is ${Math.round(ahead / 60_000)} minutes from now`);
  }
  return { kind: 'scheduled', at: Math.floor(at / 1000) };
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === 'string' && normalizeText(a) === normalizeText(b);
}

/** Walks a listing page by page until `visit` returns true (found) or 'stop' (older than wanted). */
async function scan(graph: GraphClient, first: GraphResponse, permission: string, visit: (item: JsonObject) => boolean | 'stop'): Promise<string | undefined> {
  let page = first;
  for (let n = 1; ; n++) {
    for (const entry of asArray(page.body.data)) {
      const item = asObject(entry);
      if (!item) continue;
      const verdict = visit(item);
      if (verdict === 'stop') return undefined;
      if (verdict) return asString(item.id);
    }
    const next = asString(asObject(page.body.paging)?.next);
    if (!next || n >= MAX_LOOKUP_PAGES) return undefined;
    page = await graph.next(next, permission);
  }
}

/** The id of a post or reply an earlier attempt created, if there is one. */
export async function findExisting(ctx: PublishContext, input: PublishInput, plan: PublishPlan): Promise<string | undefined> {
  const since = Math.floor(Date.parse(input.firstAttemptAt) / 1000) - CLOCK_SLACK_S;
  const byPage = (item: JsonObject) => {
    const from = asString(asObject(item.from)?.id);
    // A resident writing the same words is not our post; listings without `from` are the Page's own.
    return from === undefined || from === ctx.pageId;
  };
  const fresh = (item: JsonObject) => {
    const created = Date.parse(asString(item.created_time) ?? '');
    return Number.isNaN(created) || created / 1000 >= since;
  };
  if (plan.kind === 'reply') {
    // Comments are listed by cursor, not time: read newest first and stop at the first older one.
    const permission = 'pages_read_user_content';
    const first = await ctx.graph.request(`/${plan.parentId}/comments`, {
      params: { order: 'reverse_chronological', fields: 'id,message,from,created_time', limit: 100 }, permission,
    });
    return scan(ctx.graph, first, permission, (item) => (!fresh(item) ? 'stop' : byPage(item) && sameText(item.message, input.text)));
  }
  const permission = 'pages_read_engagement';
  if (plan.kind === 'scheduled') {
    const first = await ctx.graph.request(`/${ctx.pageId}/scheduled_posts`, {
      params: { fields: 'id,message,scheduled_publish_time,created_time', limit: 100 }, permission,
    });
    const found = await scan(ctx.graph, first, permission, (item) => asNumber(item.scheduled_publish_time) === plan.at && sameText(item.message, input.text));
    // Between attempts the scheduled time may have come, moving the post into the feed.
    if (found) return found;
  }
  const first = await ctx.graph.request(`/${ctx.pageId}/feed`, {
    params: { since, fields: 'id,message,from,created_time', limit: 100 }, permission,
  });
  return scan(ctx.graph, first, permission, (item) => (!fresh(item) ? 'stop' : byPage(item) && sameText(item.message, input.text)));
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/heic': 'heic' };

function photoForm(bytes: Uint8Array, mime: string, fields: Params): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.set(key, String(value));
  // `url` would make Facebook fetch the image itself; uploading the bytes works offline and sends
  // exactly the image that was approved.
  form.set('source', new Blob([bytes.slice()], { type: mime }), `photo.${EXTENSIONS[mime] ?? 'bin'}`);
  return form;
}

function schedule(plan: PublishPlan): Params {
  return plan.kind === 'scheduled' ? { published: false, scheduled_publish_time: plan.at } : {};
}

/** Sends the write once; returns the id of the post (or comment) it created. */
export async function createObject(ctx: PublishContext, input: PublishInput, plan: PublishPlan): Promise<{ id: string; raw: string }> {
  const created = (res: GraphResponse, key = 'id') => {
    const id = asString(res.body[key]) ?? asString(res.body.id);
    if (!id) throw new ConnectorError('retryable', `Facebook accepted the request but returned no id: ${res.raw}`);
    return { id, raw: res.raw };
  };
  if (plan.kind === 'reply') {
    return created(await ctx.graph.request(`/${plan.parentId}/comments`, { method: 'POST', params: { message: input.text }, permission: 'pages_manage_engagement' }));
  }
  const media = input.media ?? [];
  const permission = 'pages_manage_posts';
  if (media.length === 1) {
    const [photo] = media;
    const form = photoForm(photo.bytes, photo.mime, { caption: input.text, alt_text_custom: photo.alt, ...schedule(plan) });
    // The photo edge answers {id: photo id, post_id: the feed post}; the post is what we archive.
    return created(await ctx.graph.request(`/${ctx.pageId}/photos`, { method: 'POST', form, permission }), 'post_id');
  }
  const params: Params = { message: input.text, link: input.link, ...schedule(plan) };
  // Several photos: upload each unpublished, then one feed post attaching them all. An attempt
  // that dies halfway leaves unpublished photos nobody sees, never a half-made post.
  for (const [i, photo] of media.entries()) {
    const form = photoForm(photo.bytes, photo.mime, { alt_text_custom: photo.alt, published: false, temporary: plan.kind === 'scheduled' ? true : undefined });
    const uploaded = created(await ctx.graph.request(`/${ctx.pageId}/photos`, { method: 'POST', form, permission }));
    params[`attached_media[${i}]`] = JSON.stringify({ media_fbid: uploaded.id });
  }
  return created(await ctx.graph.request(`/${ctx.pageId}/feed`, { method: 'POST', params, permission }));
}
