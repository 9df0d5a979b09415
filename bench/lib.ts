// Shared helpers for the benchmarks: a seeded random source, realistic synthetic archive records
// (civic vocabulary with topics, Bluesky/Facebook-shaped raw payloads, a pool of authors), a fresh
// database (SQLite in a temp dir, or a PostgreSQL database created and dropped), timing and the
// `figure: value unit` output. Figures go to stdout, progress to stderr.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';
import type { RecordInput } from '../src/archive/record.js';

// ---------------------------------------------------------------------------------------------
// Output

/** One figure on stdout: `name: value unit`. */
export function figure(name: string, value: number | string, unit: string): void {
  const shown = typeof value === 'string' ? value : formatNumber(value);
  process.stdout.write(`${name}: ${shown}${unit ? ` ${unit}` : ''}\n`);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return String(Math.round(value));
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Progress and diagnostics on stderr, with the elapsed time since start. */
export function progress(message: string): void {
  const s = (performance.now() - started) / 1000;
  process.stderr.write(`[${s.toFixed(1).padStart(7)} s] ${message}\n`);
}
const started = performance.now();

/** Milliseconds since `t0` (a performance.now() reading). */
export function since(t0: number): number {
  return performance.now() - t0;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

// ---------------------------------------------------------------------------------------------
// Random

/**
 * A small, fast, seeded PRNG (sfc32, 128-bit state, seeded through splitmix32 so nearby seeds
 * give unrelated streams): the same seed gives the same records every run.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    const mix = () => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      for (const s of seeds) z = Math.imul(z ^ (s | 0) ^ Math.floor(s / 2 ** 32), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Rank in [0, n) under a Zipf-like law with exponent s (rank 0 the most likely). */
  zipf(table: ZipfTable): number {
    const u = this.next() * table.total;
    let lo = 0;
    let hi = table.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table.cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  chars(alphabet: string, length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

export interface ZipfTable {
  cumulative: Float64Array;
  total: number;
}

export function zipfTable(n: number, s: number): ZipfTable {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cumulative[i] = total;
  }
  return { cumulative, total };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: what residents write to a city. Each record is about one topic (topics are Zipf
// popular), its words come mostly from that topic, some from a general civic list and the rest
// are function words, so a topic word matches a few percent of records and phrases exist.

export const TOPICS: Record<string, readonly string[]> = {
  parks: ['park', 'playground', 'trail', 'splash pad', 'picnic shelter', 'dog park', 'mowing', 'benches', 'trees', 'pavilion', 'soccer fields', 'restrooms', 'skate park', 'greenway', 'campground'],
  roads: ['pothole', 'potholes', 'paving', 'road construction', 'detour', 'crosswalk', 'speed limit', 'traffic light', 'intersection', 'sidewalk', 'curb', 'striping', 'roundabout', 'lane closure', 'chip seal'],
  snow: ['snow removal', 'plow', 'plowed', 'snowplow', 'sanding', 'ice', 'icy', 'snow emergency', 'windrow', 'shoveling', 'blizzard', 'salt', 'drifts', 'parking ban', 'storm'],
  budget: ['budget', 'property tax', 'mill levy', 'taxes', 'spending', 'deficit', 'bond', 'audit', 'revenue', 'fees', 'general fund', 'appropriation', 'fiscal year', 'assessment', 'taxpayers'],
  council: ['city council', 'council meeting', 'agenda', 'public hearing', 'ordinance', 'resolution', 'vote', 'commissioners', 'mayor', 'minutes', 'public comment', 'work session', 'quorum', 'motion', 'livestream'],
  police: ['police', 'officer', 'patrol', 'speeding', 'theft', 'break-in', 'dispatch', 'sheriff', 'traffic stop', 'neighborhood watch', 'body camera', 'arrest', 'burglary', 'noise complaint', 'vandalism'],
  fire: ['fire department', 'firefighters', 'wildfire', 'smoke', 'burn ban', 'evacuation', 'fireworks', 'ambulance', 'hydrant', 'red flag warning', 'brush fire', 'station', 'ems', 'fire marshal', 'defensible space'],
  water: ['water main', 'boil order', 'water bill', 'sewer', 'wastewater', 'stormwater', 'flooding', 'water pressure', 'irrigation', 'meter', 'drinking water', 'conservation', 'lead pipes', 'utility rates', 'drought'],
  zoning: ['zoning', 'rezoning', 'variance', 'subdivision', 'annexation', 'setback', 'building permit', 'planning board', 'growth policy', 'density', 'short-term rentals', 'duplex', 'infill', 'land use', 'comprehensive plan'],
  housing: ['housing', 'affordable housing', 'rent', 'homeless', 'shelter', 'apartments', 'landlord', 'eviction', 'workforce housing', 'vouchers', 'tiny homes', 'development', 'mobile home', 'housing authority', 'waitlist'],
  library: ['library', 'story time', 'books', 'library card', 'hours', 'librarian', 'reading program', 'computers', 'makerspace', 'book sale', 'ebooks', 'meeting room', 'summer reading', 'overdue', 'branch'],
  trash: ['garbage', 'trash pickup', 'recycling', 'compost', 'landfill', 'bulk pickup', 'dumpster', 'yard waste', 'collection day', 'litter', 'cart', 'transfer station', 'hazardous waste', 'cleanup', 'glass'],
  events: ['parade', 'farmers market', 'concert', 'festival', 'fourth of july', 'rodeo', 'fair', 'street fair', 'holiday lights', 'movie night', 'art walk', 'fun run', 'vendors', 'volunteers', 'celebration'],
  transit: ['bus', 'bus route', 'transit', 'bus stop', 'schedule', 'fare', 'paratransit', 'bike lane', 'bike rack', 'parking', 'parking meters', 'parking garage', 'commute', 'shuttle', 'rideshare'],
  animals: ['animal shelter', 'dogs', 'cats', 'leash law', 'adoption', 'stray', 'animal control', 'deer', 'bears', 'wildlife', 'pet license', 'barking', 'spay', 'geese', 'coyote'],
  schools: ['school', 'school zone', 'crossing guard', 'students', 'school board', 'buses', 'teachers', 'graduation', 'playground equipment', 'after school', 'kindergarten', 'bond election', 'cafeteria', 'enrollment', 'recess'],
  health: ['clinic', 'vaccines', 'health department', 'air quality', 'mosquitoes', 'food inspection', 'flu', 'hospital', 'mental health', 'seniors', 'overdose', 'wellness', 'testing', 'outbreak', 'pharmacy'],
  jobs: ['jobs', 'hiring', 'job posting', 'seasonal positions', 'lifeguards', 'wages', 'applications', 'internship', 'staffing', 'union', 'benefits', 'training', 'workforce', 'volunteer', 'employment'],
};

const TOPIC_NAMES = Object.keys(TOPICS);
const TOPIC_POPULARITY = zipfTable(TOPIC_NAMES.length, 0.8);
const TOPIC_WORD_RANK = zipfTable(15, 0.9);

export const GENERAL_WORDS = [
  'city', 'town', 'residents', 'neighbors', 'community', 'downtown', 'street', 'avenue', 'neighborhood', 'staff',
  'department', 'manager', 'public', 'safety', 'project', 'plan', 'update', 'notice', 'meeting', 'week', 'today',
  'tomorrow', 'morning', 'evening', 'weekend', 'summer', 'winter', 'spring', 'fall', 'month', 'year', 'thanks',
  'great', 'terrible', 'frustrating', 'appreciate', 'concerned', 'dangerous', 'expensive', 'finally', 'again',
  'still', 'every', 'never', 'always', 'problem', 'question', 'answer', 'information', 'website', 'phone', 'email',
  'complaint', 'request', 'report', 'issue', 'fix', 'fixed', 'broken', 'closed', 'open', 'new', 'old', 'kids',
  'families', 'business', 'businesses', 'owners', 'visitors', 'tourists', 'workers', 'county', 'state', 'federal',
  'grant', 'money', 'cost', 'price', 'free', 'survey', 'feedback', 'input', 'transparency', 'accountability',
  'maple', 'main', 'elm', 'oak', 'pine', 'cedar', 'birch', 'willow', 'aspen', 'spruce', 'river', 'lake', 'hill',
  'north', 'south', 'east', 'west', 'side', 'corner', 'block', 'near', 'across', 'behind',
];

export const FUNCTION_WORDS = [
  'the', 'a', 'to', 'of', 'and', 'is', 'in', 'for', 'on', 'this', 'that', 'we', 'our', 'you', 'your', 'it', 'are',
  'was', 'be', 'with', 'why', 'when', 'what', 'how', 'please', 'can', 'will', 'not', 'no', 'just', 'so', 'but',
  'if', 'at', 'by', 'from', 'about', 'all', 'more', 'there', 'they', 'them', 'who', 'has', 'have', 'been', 'i', 'my',
];

const FIRST = ['alex', 'sam', 'jordan', 'taylor', 'casey', 'riley', 'morgan', 'jamie', 'pat', 'chris', 'dana', 'lee', 'kim', 'robin', 'terry', 'jesse', 'drew', 'avery', 'quinn', 'reese', 'skyler', 'blake', 'cameron', 'emerson', 'hayden'];
const LAST = ['smith', 'johnson', 'lee', 'brown', 'garcia', 'miller', 'davis', 'wilson', 'anderson', 'thomas', 'moore', 'martin', 'jackson', 'white', 'harris', 'clark', 'lewis', 'walker', 'hall', 'young', 'king', 'wright', 'lopez', 'hill', 'scott', 'green', 'adams', 'baker', 'nelson', 'carter'];

export interface Author {
  id: string;
  handle: string;
  name: string;
}

/** A fixed pool of resident authors, the same every run. */
export function authorPool(size: number): Author[] {
  const rng = new Rng(0x5eeda7);
  const pool: Author[] = [];
  for (let i = 0; i < size; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    pool.push({
      id: `did:plc:${rng.chars('abcdefghijklmnopqrstuvwxyz234567', 24)}`,
      handle: `${first}${last}${i}.bsky.social`,
      name: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
    });
  }
  return pool;
}

export interface Account {
  id: string;
  platform: 'bluesky' | 'facebook';
  handle: string;
  name: string;
}

export const ACCOUNTS: readonly Account[] = [
  { id: 'acct-bsky-city', platform: 'bluesky', handle: 'cityofkalispell.bsky.social', name: 'City of Kalispell' },
  { id: 'acct-bsky-police', platform: 'bluesky', handle: 'kalispellpd.bsky.social', name: 'Kalispell Police' },
  { id: 'acct-bsky-parks', platform: 'bluesky', handle: 'kalispellparks.bsky.social', name: 'Kalispell Parks & Rec' },
  { id: 'acct-fb-city', platform: 'facebook', handle: 'CityofKalispell', name: 'City of Kalispell' },
  { id: 'acct-fb-police', platform: 'facebook', handle: 'KalispellPolice', name: 'Kalispell Police Department' },
  { id: 'acct-fb-fire', platform: 'facebook', handle: 'KalispellFire', name: 'Kalispell Fire Department' },
];

/** Accounts carry most traffic on the city's main pages. */
const ACCOUNT_WEIGHT = zipfTable(ACCOUNTS.length, 1);

export const SPAN_START = Date.UTC(2024, 0, 1);
export const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

const STAFF = ['Jane Doe (Communications)', 'Raj Patel (Parks)', 'Maria Lopez (Police)', 'Tom Becker (City Manager)', 'Ann Kowalski (Clerk)'];
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function writeText(rng: Rng, topic: string, targetChars: number): string {
  const words = TOPICS[topic];
  const parts: string[] = [];
  let length = 0;
  while (length < targetChars) {
    const r = rng.next();
    const word = r < 0.45 ? rng.pick(FUNCTION_WORDS) : r < 0.75 ? words[rng.zipf(TOPIC_WORD_RANK)] : rng.pick(GENERAL_WORDS);
    parts.push(word);
    length += word.length + 1;
  }
  let text = parts.join(' ');
  if (text.length > targetChars) text = text.slice(0, Math.max(1, text.lastIndexOf(' ', targetChars)));
  text = `${text[0].toUpperCase()}${text.slice(1)}${rng.next() < 0.3 ? '?' : '.'}`;
  return text;
}

/** Text 20–600 characters, skewed short like comments. */
function textLength(rng: Rng): number {
  const u = rng.next();
  return 20 + Math.floor(580 * u * u);
}

function padTo(value: Record<string, unknown>, rng: Rng, topic: string, target: number, put: (filler: string) => void): string {
  let json = JSON.stringify(value);
  if (json.length < target) {
    put(writeText(rng, topic, target - json.length));
    json = JSON.stringify(value);
  }
  return json;
}

/** A Bluesky record key, unique per record number. */
function tid(rng: Rng, n: number): string {
  let k = '';
  for (let v = n; k.length < 7; v = Math.floor(v / 32)) k = B32[v % 32] + k;
  return `3k${k}${rng.chars(B32, 4)}`;
}

function cid(rng: Rng): string {
  return `bafyrei${rng.chars(B32, 52)}`;
}

export interface GeneratorOptions {
  authors: readonly Author[];
  /** Seed of the whole run; a batch's records depend only on it and the batch number. */
  seed: number;
  /** Records in the whole run: their times spread over two years whatever the count. */
  total: number;
}

/**
 * Records [first, first + count) of a synthetic city archive: ~65% resident comments, 10% posts,
 * 5% comment edits, 5% moderation records, 15% staff events; raw payloads 0.5–3 KB.
 */
export function syntheticBatch(options: GeneratorOptions, batch: number, first: number, count: number): RecordInput[] {
  const rng = new Rng(options.seed, batch);
  const out: RecordInput[] = [];
  const recentComments: Array<{ platformId: string; account: Account }> = [];
  for (let i = 0; i < count; i++) out.push(oneRecord(rng, options, first + i, recentComments));
  return out;
}

function oneRecord(rng: Rng, options: GeneratorOptions, n: number, recent: Array<{ platformId: string; account: Account }>): RecordInput {
  const { authors, total } = options;
  const topic = TOPIC_NAMES[rng.zipf(TOPIC_POPULARITY)];
  const account = ACCOUNTS[rng.zipf(ACCOUNT_WEIGHT)];
  // Records arrive roughly in time order over two years, with jitter.
  const at = SPAN_START + Math.floor((Math.min(n, total) / Math.max(1, total)) * (SPAN_MS - 86_400_000)) + rng.int(6 * 3600 * 1000);
  const created = new Date(at).toISOString();
  const capturedAt = new Date(at + 60_000 + rng.int(3_600_000)).toISOString();
  const payloadTarget = 500 + rng.int(2500);
  const r = rng.next();
  if (r < 0.15) return staffEvent(rng, topic, n, created, payloadTarget);
  const threadPost = account.platform === 'bluesky'
    ? `at://did:plc:${account.id.slice(5).replace(/-/g, '')}/app.bsky.feed.post/3kpost${String(n >> 9).padStart(7, '0')}`
    : `${account.handle}_${String(1_000_000 + (n >> 9))}`;
  if (r < 0.25) {
    const text = writeText(rng, topic, textLength(rng) + 80);
    const platformId = account.platform === 'bluesky'
      ? `at://did:plc:${account.id.slice(5).replace(/-/g, '')}/app.bsky.feed.post/${tid(rng, n)}` : `${account.handle}_${n}`;
    const author = { id: account.id, handle: account.handle, name: account.name };
    return {
      kind: 'post', platform: account.platform, accountId: account.id, platformId, platformVersion: cid(rng), threadId: platformId,
      platformTimes: { created }, capturedAt, author, text,
      payload: payload(rng, account, author, platformId, null, text, created, topic, payloadTarget), payloadType: 'application/json',
    };
  }
  const author = authors[rng.int(authors.length)];
  if (r < 0.3 && recent.length > 0) {
    const { platformId, account: on } = recent[rng.int(recent.length)];
    const text = writeText(rng, topic, textLength(rng));
    const edited = new Date(at + 120_000).toISOString();
    return {
      kind: 'comment_version', platform: on.platform, accountId: on.id, platformId, platformVersion: `edit-${n}`,
      parentId: threadPost, threadId: threadPost, platformTimes: { created, edited }, capturedAt, author, text,
      payload: payload(rng, account, author, platformId, threadPost, text, created, topic, payloadTarget), payloadType: 'application/json',
    };
  }
  if (r < 0.35 && recent.length > 0) {
    const { platformId: subjectId } = recent[rng.int(recent.length)];
    const kind = rng.pick(['deletion', 'visibility_change', 'moderation_action'] as const);
    const staff = rng.pick(STAFF);
    const text = kind === 'deletion' ? 'Deleted by its author' : `${staff} hid a comment under policy section ${1 + rng.int(9)}.${1 + rng.int(6)}: ${rng.pick(['spam', 'threats', 'obscenity', 'off topic', 'personal information'])}`;
    const body = { subject: subjectId, action: kind, actor: staff, at: created, policy: { section: `${1 + rng.int(9)}.${1 + rng.int(6)}`, pack: 'kalispell-mt' } };
    const json = padTo(body, rng, topic, Math.min(payloadTarget, 900), (f) => { Object.assign(body, { note: f }); });
    return {
      kind, platform: account.platform, accountId: account.id, platformId: `${kind}:${subjectId}:${n}`, subjectId,
      platformTimes: { created }, capturedAt, author: { name: staff }, text,
      payload: Buffer.from(json, 'utf8'), payloadType: 'application/json',
    };
  }
  const text = writeText(rng, topic, textLength(rng));
  const platformId = account.platform === 'bluesky' ? `at://${author.id}/app.bsky.feed.post/${tid(rng, n)}` : `${threadPost}_${n}`;
  if (recent.length < 200) recent.push({ platformId, account });
  else recent[rng.int(200)] = { platformId, account };
  return {
    kind: 'comment', platform: account.platform, accountId: account.id, platformId, platformVersion: account.platform === 'bluesky' ? cid(rng) : undefined,
    parentId: threadPost, threadId: threadPost, platformTimes: { created }, capturedAt, author, text,
    payload: payload(rng, account, author, platformId, threadPost, text, created, topic, payloadTarget), payloadType: 'application/json',
  };
}

function staffEvent(rng: Rng, topic: string, n: number, created: string, target: number): RecordInput {
  const staff = rng.pick(STAFF);
  const action = rng.pick(['comment.replied', 'comment.hidden', 'post.published', 'post.approved', 'account.password_rotated', 'person.added', 'moderation.reviewed']);
  const event: Record<string, unknown> = {
    id: `evt-${n}`, seq: n, org_id: 'bench', actor_id: `user-${rng.int(40)}`, actor_label: staff, action,
    target_type: action.split('.')[0], target_id: `${action.split('.')[0]}-${rng.int(100_000)}`, created_at: created,
    pack_version: 'sha256:5d1c0a9e', sources: JSON.stringify(['MN-1', `KAL-${1 + rng.int(30)}`]),
  };
  const json = padTo(event, rng, topic, Math.min(target, 1200), (f) => { event.after = JSON.stringify({ summary: f }); });
  return {
    kind: 'staff_event', series: action.startsWith('account.') ? 'account_changes' : 'staff_events', dedupeKey: `bench-event:${n}`,
    platformTimes: { created }, capturedAt: created, author: { id: String(event.actor_id), name: staff },
    text: `${staff} ${action} ${String(event.target_type)} ${String(event.target_id)}`,
    payload: Buffer.from(json, 'utf8'), payloadType: 'application/vnd.civicdesk.event+json',
    meta: { action, targetType: event.target_type, targetId: event.target_id, seq: n },
  };
}

function payload(
  rng: Rng, account: Account, author: Author, id: string, parent: string | null, text: string, created: string, topic: string, target: number,
): Buffer<ArrayBuffer> {
  if (account.platform === 'bluesky') {
    const post: Record<string, unknown> = {
      uri: id, cid: cid(rng),
      author: {
        did: author.id, handle: author.handle, displayName: author.name,
        avatar: `https://cdn.bsky.app/img/avatar/plain/${author.id}/${cid(rng)}@jpeg`,
        labels: [], createdAt: '2023-11-02T17:21:09.000Z', viewer: { muted: false, blockedBy: false },
      },
      record: {
        $type: 'app.bsky.feed.post', createdAt: created, langs: ['en'], text,
        ...(parent ? { reply: { root: { uri: parent, cid: cid(rng) }, parent: { uri: parent, cid: cid(rng) } } } : {}),
      },
      replyCount: rng.int(20), repostCount: rng.int(10), likeCount: rng.int(80), quoteCount: 0,
      indexedAt: created, labels: [], threadgate: null,
    };
    return Buffer.from(padTo(post, rng, topic, target, (f) => {
      post.embed = { $type: 'app.bsky.embed.external#view', external: { uri: `https://www.kalispell.com/news/${rng.chars(B32, 13)}`, title: `City news ${topic}`, description: f } };
    }), 'utf8');
  }
  const post: Record<string, unknown> = {
    id, message: text, created_time: created.replace('Z', '+0000'), updated_time: created.replace('Z', '+0000'),
    from: { name: author.name, id: String(100_000_000_000 + rng.int(900_000_000)) },
    permalink_url: `https://www.facebook.com/${account.handle}/posts/${id}`,
    like_count: rng.int(80), comment_count: rng.int(20), can_hide: true, is_hidden: false, user_likes: false,
    reactions: { summary: { total_count: rng.int(100), viewer_reaction: 'NONE' } },
  };
  return Buffer.from(padTo(post, rng, topic, target, (f) => {
    post.attachment = { type: 'share', title: `City news ${topic}`, description: f, url: `https://www.kalispell.com/news/${rng.int(1e6)}` };
  }), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Databases

export interface BenchDatabase extends Database {
  /** A temp folder for keys and blobs (and the SQLite file), removed by dispose. */
  dir: string;
  dispose(): Promise<void>;
}

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * SQLite in a fresh temp dir, or, given an admin postgres:// URL, a fresh PostgreSQL database
 * created there and dropped by dispose. `keep` leaves everything in place (and says where);
 * `reuseDir` opens the SQLite database a kept run left there.
 */
export async function openBenchDatabase(options: { adminUrl?: string; keep?: boolean; reuseDir?: string } = {}): Promise<BenchDatabase> {
  const { adminUrl, keep = false, reuseDir } = options;
  if (reuseDir) {
    // A kept PostgreSQL run leaves its database's URL in its folder; a kept SQLite run its file.
    const urlFile = join(reuseDir, 'database-url');
    const databaseUrl = existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() : undefined;
    const database = await openDatabase({ databaseUrl, sqlitePath: join(reuseDir, 'civicdesk.db') });
    return { ...database, dir: reuseDir, dispose: () => database.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-bench-'));
  if (!adminUrl) {
    const database = await openDatabase({ sqlitePath: join(dir, 'civicdesk.db') });
    return {
      ...database, dir,
      dispose: async () => {
        await database.close();
        if (keep) progress(`kept ${dir} (reuse with --reuse ${dir})`);
        else rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `civicdesk_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), sqlitePath: '' });
  return {
    ...database, dir,
    dispose: async () => {
      await database.close();
      if (keep) {
        writeFileSync(join(dir, 'database-url'), url.toString());
        progress(`kept database ${name} and ${dir} (reuse with --reuse ${dir})`);
        return;
      }
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
