// Text helpers shared by the checks: where the links, e-mail addresses, handles and hashtags are
// (so detectors can skip them), which hosts are the city's own, and how a finding is assembled.
import type { PolicyPack } from '../../policy/pack.schema.js';
import type { Citation } from './citations.js';
import type { CheckedText, Finding, Severity } from './types.js';

export interface Span {
  start: number;
  end: number;
}

export interface UrlSpan extends Span {
  url: string;
}

const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"’”]+$/;
// Scheme or www. links, and bare domains such as "bozeman.net/parks" that people type in posts.
// The look-behind keeps the domain of an e-mail address from counting as a link.
const URL_RE =
  /(?<![@\w.-])(?:https?:\/\/[^\s<>"]+|www\.[^\s<>"]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|gov|edu|us|info|io|co|mt|mn)(?:\/[^\s<>"]*)?(?![\w@-]))/gi;
export const EMAIL_RE = /\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/g;
const HANDLE_RE = /(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/g;
const HASHTAG_RE = /(?<![\w#])#[\p{L}\p{N}_]+/gu;

export function* allMatches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = global.exec(text); m; m = global.exec(text)) {
    yield m;
    if (m[0].length === 0) global.lastIndex += 1;
  }
}

export function findUrls(text: string): UrlSpan[] {
  const out: UrlSpan[] = [];
  for (const m of allMatches(URL_RE, text)) {
    const url = m[0].replace(TRAILING_PUNCTUATION, '');
    if (url.length > 0) out.push({ url, start: m.index, end: m.index + url.length });
  }
  return out;
}

export function spansOf(re: RegExp, text: string): Span[] {
  return [...allMatches(re, text)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Blanks out spans with spaces, keeping every other offset where it was. */
export function mask(text: string, spans: Span[]): string {
  // UTF-16 offsets throughout, as RegExp reports them, so ranges found in the masked text are
  // ranges in the original.
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

/** The text with links and e-mail addresses blanked, for detectors that must not read inside them. */
export function withoutLinks(text: string): string {
  return mask(text, [...findUrls(text), ...spansOf(EMAIL_RE, text)]);
}

/** As withoutLinks, and also without @handles and #hashtags (spelling, reading level). */
export function proseOnly(text: string): string {
  const noLinks = withoutLinks(text);
  return mask(noLinks, [...spansOf(HANDLE_RE, noLinks), ...spansOf(HASHTAG_RE, noLinks)]);
}

function stripWww(host: string): string {
  return host.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
}

export function hostOf(url: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  try {
    return stripWww(new URL(withScheme).hostname);
  } catch {
    return null;
  }
}

const DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

/** The city's own domains: its website and its staff e-mail domain (a template's unfilled blanks are skipped). */
export function cityHosts(pack: PolicyPack): string[] {
  const hosts = new Set<string>();
  const website = hostOf(pack.city.website);
  if (website && DOMAIN_RE.test(website)) hosts.add(website);
  for (const route of pack.city.contactRoutes) {
    if (route.kind !== 'website') continue;
    const host = hostOf(route.value);
    if (host && DOMAIN_RE.test(host)) hosts.add(host);
  }
  const mail = stripWww(pack.city.emailDomain);
  if (DOMAIN_RE.test(mail)) hosts.add(mail);
  return [...hosts];
}

export function isCityHost(host: string | null, hosts: string[]): boolean {
  if (!host) return false;
  const h = stripWww(host);
  return hosts.some((city) => h === city || h.endsWith(`.${city}`));
}

export interface FindingInput {
  id: string;
  severity: Severity;
  message: string;
  citation: Citation;
  excerpt?: string;
  range?: [number, number];
  on?: CheckedText;
}

export function finding(input: FindingInput): Finding {
  const out: Finding = { id: input.id, severity: input.severity, message: input.message, sources: input.citation.sources };
  if (input.citation.clause !== undefined) out.clause = input.citation.clause;
  if (input.excerpt !== undefined) out.excerpt = input.excerpt;
  if (input.range) out.range = input.range;
  if (input.on?.variant !== undefined) out.variant = input.on.variant;
  return out;
}

/** "the Bluesky variant" / "the post": where a finding is, for messages. */
export function where(on: CheckedText): string {
  return on.variant ? `the ${on.variant} version` : 'the post';
}

export function capitalised(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Shortens an excerpt for quoting in a message; the full text stays in `excerpt`. */
export function quoteExcerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}”`;
}
