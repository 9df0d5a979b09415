// The fake Graph server's memory: one Page, its posts, photos and comments, and the tokens that
// may touch them, shaped as Graph returns them (field selection, cursor paging, Graph time format).
import { randomBytes } from 'node:crypto';

export interface FakeToken {
  token: string;
  type: 'PAGE' | 'USER';
  userId: string;
  pageId?: string;
  scopes: Set<string>;
  /** Unix seconds; 0 never expires. */
  expiresAt: number;
  dataAccessExpiresAt: number;
  valid: boolean;
}

export interface FakePhoto {
  bytes: Uint8Array;
  mime: string;
  filename: string;
  alt?: string;
}

export interface FakeObject {
  id: string;
  type: 'post' | 'comment' | 'photo';
  seq: number;
  message?: string;
  from: { id: string; name: string };
  created: number;
  updated: number;
  /** Comments: the post they are under, and the comment they answer if any. */
  postId?: string;
  parentCommentId?: string;
  isHidden: boolean;
  deleted: boolean;
  /** Scheduled posts: unix seconds; live once that time has come. */
  scheduledAt?: number;
  /** False for unpublished photos (attached later) and for scheduled posts. */
  published: boolean;
  link?: string;
  photo?: FakePhoto;
  attachedPhotoIds: string[];
}

export interface FakeRequestLog {
  method: string;
  path: string;
  params: Record<string, string>;
  token?: string;
}

/** "2024-05-01T12:00:00+0000", as Graph writes times. */
export function graphTime(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64url');
}

/** Graph's `fields` syntax: `a,b{c,d},e` → name → sub-selection. */
export function parseFields(spec: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const brace = part.indexOf('{');
    if (part.trim()) out.push(brace === -1 ? [part.trim(), undefined] : [part.slice(0, brace).trim(), part.slice(brace + 1, -1)]);
  };
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === '{') depth++;
    else if (spec[i] === '}') depth--;
    else if (spec[i] === ',' && depth === 0) { push(spec.slice(start, i)); start = i + 1; }
  }
  push(spec.slice(start));
  return out;
}

export function project(full: Record<string, unknown>, spec: string | undefined, defaults: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, sub] of parseFields(spec ?? defaults)) {
    const value = full[name];
    if (value === undefined) continue;
    out[name] = sub && typeof value === 'object' && value !== null && !Array.isArray(value) ? project(value as Record<string, unknown>, sub, sub) : value;
  }
  // Graph always includes the id of the object it describes.
  if (full.id !== undefined) out.id = full.id;
  return out;
}

export class FakeGraphState {
  readonly objects = new Map<string, FakeObject>();
  readonly tokens = new Map<string, FakeToken>();
  readonly requests: FakeRequestLog[] = [];
  followersCount: number;
  fanCount: number;
  private seq = 0;

  constructor(
    readonly pageId: string,
    readonly pageName: string,
    readonly appId: string,
    readonly appSecret: string,
    readonly now: () => Date,
    counts: { followers: number; fans: number },
  ) {
    this.followersCount = counts.followers;
    this.fanCount = counts.fans;
  }

  nowUnix(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  get page(): { id: string; name: string } {
    return { id: this.pageId, name: this.pageName };
  }

  /** Posts (including scheduled ones whose time has come) and comments visible now. */
  isLive(o: FakeObject): boolean {
    if (o.deleted) return false;
    if (o.scheduledAt !== undefined) return o.scheduledAt <= this.nowUnix();
    return o.published;
  }

  create(fields: Pick<FakeObject, 'type' | 'from'> & Partial<FakeObject>): FakeObject {
    const seq = ++this.seq;
    const created = this.nowUnix();
    const id = fields.type === 'post' ? `${this.pageId}_${100000 + seq}`
      : fields.type === 'comment' ? `${(fields.postId ?? '0').split('_').pop()}_${200000 + seq}` : String(300000 + seq);
    const object: FakeObject = { isHidden: false, deleted: false, published: true, attachedPhotoIds: [], ...fields, id, seq, created, updated: created };
    this.objects.set(id, object);
    return object;
  }

  /** The Page's live posts, newest first (as the feed lists them). */
  posts(): FakeObject[] {
    return [...this.objects.values()].filter((o) => o.type === 'post' && this.isLive(o)).sort((a, b) => b.seq - a.seq);
  }

  scheduledPosts(): FakeObject[] {
    return [...this.objects.values()].filter((o) => o.type === 'post' && !o.deleted && !this.isLive(o) && o.scheduledAt !== undefined).sort((a, b) => b.seq - a.seq);
  }

  /** Live comments under a post (every depth) or under a comment (direct answers), oldest first. */
  comments(parentId: string, stream = true): FakeObject[] {
    const parent = this.objects.get(parentId);
    return [...this.objects.values()].filter((o) => {
      if (o.type !== 'comment' || o.deleted) return false;
      if (parent?.type === 'comment') return o.parentCommentId === parentId;
      return o.postId === parentId && (stream || o.parentCommentId === undefined);
    }).sort((a, b) => a.seq - b.seq);
  }

  permalink(o: FakeObject): string {
    const [, local] = o.id.split('_');
    return o.type === 'comment'
      ? `https://www.facebook.com/${this.pageId}/posts/${(o.postId ?? '').split('_').pop()}?comment_id=${local}`
      : `https://www.facebook.com/${this.pageId}/posts/${local ?? o.id}`;
  }

  /** Everything Graph could say about an object; callers project the requested fields. */
  describe(o: FakeObject): Record<string, unknown> {
    if (o.type === 'photo') {
      return {
        id: o.id, name: o.message, alt_text_custom: o.photo?.alt, created_time: graphTime(o.created), from: o.from,
        link: `https://www.facebook.com/photo/?fbid=${o.id}`, images: [{ height: 720, width: 1280, source: `https://scontent.example/${o.id}.jpg` }],
      };
    }
    if (o.type === 'comment') {
      const parent = o.parentCommentId ? this.objects.get(o.parentCommentId) : undefined;
      return {
        id: o.id, message: o.message ?? '', from: o.from, created_time: graphTime(o.created), is_hidden: o.isHidden, can_hide: o.from.id !== this.pageId,
        parent: parent ? { id: parent.id, message: parent.message, from: parent.from, created_time: graphTime(parent.created) } : undefined,
        permalink_url: this.permalink(o), like_count: 0, comment_count: this.comments(o.id).length,
      };
    }
    const photos = o.attachedPhotoIds.map((id) => this.objects.get(id)).filter((p): p is FakeObject => p !== undefined);
    return {
      id: o.id, message: o.message, from: o.from, created_time: graphTime(o.created), updated_time: graphTime(o.updated),
      permalink_url: this.permalink(o), is_published: this.isLive(o), scheduled_publish_time: o.scheduledAt,
      status_type: photos.length > 0 ? 'added_photos' : o.link ? 'shared_story' : 'mobile_status_update',
      attachments: photos.length > 0
        ? { data: photos.map((p) => ({ media_type: 'photo', target: { id: p.id }, url: `https://www.facebook.com/photo/?fbid=${p.id}` })) }
        : o.link ? { data: [{ media_type: 'link', url: o.link }] } : undefined,
    };
  }
}
