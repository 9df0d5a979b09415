// What every detector gets: the two normalised views, the post, the allowlisted stretches, and
// helpers that turn regex matches into evidence quoting the original text.
import { NEEDLES } from './needles.js';
import { normalise, toOriginal, type View } from './normalize.js';
import type { Category, Evidence, Span } from './types.js';

/** At most this many matches of one rule and spans of one piece of evidence: a 1 MB comment full
 *  of the same word must not produce a 1 MB answer. */
export const MAX_MATCHES = 6;

export interface Context {
  readonly original: string;
  readonly clean: View;
  readonly folded: View;
  /** Folded comment text (lower case, de-obfuscated). */
  readonly f: string;
  /** Clean comment text (case kept). */
  readonly c: string;
  /** Folded post text ('' when none). */
  readonly post: string;
  /** Allowlisted stretches of the folded text, [start, end) pairs. */
  readonly allowed: ReadonlyArray<readonly [number, number]>;
  /** Matches an official's name in folded text, or null. */
  readonly officials: RegExp | null;
}

export interface Hit {
  rule: string;
  confidence: number;
  spans: Span[];
}

const termCache = new Map<string, { terms: string[]; officials: RegExp | null }>();

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTerms(allowlist: readonly string[], officials: readonly string[]): { terms: string[]; officials: RegExp | null } {
  const key = `${allowlist.join('\u0001')}\u0002${officials.join('\u0001')}`;
  let hit = termCache.get(key);
  if (!hit) {
    const terms = allowlist.map((t) => normalise(t.trim()).folded.text).filter((t) => t.length > 0);
    const names = officials.map((t) => normalise(t.trim()).folded.text).filter((t) => t.length > 1);
    hit = { terms, officials: names.length ? new RegExp(`\\b(?:${names.map(escape).join('|')})\\b`, 'g') : null };
    // Settings change rarely; a handful of distinct lists is the normal case.
    if (termCache.size > 64) termCache.clear();
    termCache.set(key, hit);
  }
  return hit;
}

function wordChar(c: string | undefined): boolean {
  return c !== undefined && /[a-z0-9]/.test(c);
}

// Many comments answer the same post: its folded text is kept rather than recomputed.
const postCache = new Map<string, string>();

function foldPost(post: string): string {
  if (!post) return '';
  let hit = postCache.get(post);
  if (hit === undefined) {
    hit = normalise(post.length > 20_000 ? post.slice(0, 20_000) : post).folded.text;
    if (postCache.size > 512) postCache.clear();
    postCache.set(post, hit);
  }
  return hit;
}

export function buildContext(text: string, post: string, allowlist: readonly string[], officials: readonly string[]): Context {
  const { clean, folded } = normalise(text);
  const compiled = compileTerms(allowlist, officials);
  const allowed: Array<[number, number]> = [];
  const f = folded.text;
  for (const term of compiled.terms) {
    for (let at = f.indexOf(term); at !== -1 && allowed.length < 1000; at = f.indexOf(term, at + 1)) {
      if (!wordChar(f[at - 1]) && !wordChar(f[at + term.length])) allowed.push([at, at + term.length]);
    }
  }
  return {
    original: text, clean, folded, f, c: clean.text,
    post: foldPost(post),
    allowed, officials: compiled.officials,
  };
}

export function spanF(ctx: Context, s: number, e: number): Span {
  return toOriginal(ctx.folded, ctx.original, s, e);
}

export function spanC(ctx: Context, s: number, e: number): Span {
  return toOriginal(ctx.clean, ctx.original, s, e);
}

/** Global-flag matches of `re` in `text`, at most `limit`. */
export function scan(re: RegExp, text: string, limit = MAX_MATCHES): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < limit; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex += 1;
  }
  re.lastIndex = 0;
  return out;
}

export interface Rule {
  id: string;
  re: RegExp;
  confidence: number;
  /** Match the clean (case-kept) text instead of the folded one. */
  clean?: boolean;
  /**
   * Substrings of the folded text one of which every match contains: a rule whose needles are
   * all absent is skipped without running its regex (most rules, for most comments).
   */
  needles?: readonly string[];
}

const needleIds = new Map<Rule, number[]>();
// Comments are classified one at a time, so the needles found in the current one are kept here
// rather than looked up per rule.
let scannedFor: Context | null = null;
let found: Uint8Array = new Uint8Array(0);

function present(ctx: Context, rule: Rule): boolean {
  if (!rule.needles) return true;
  let ids = needleIds.get(rule);
  if (!ids) {
    ids = rule.needles.map((n) => NEEDLES.id(n));
    needleIds.set(rule, ids);
  }
  if (scannedFor !== ctx || found.length < NEEDLES.size) {
    found = NEEDLES.scan(ctx.f);
    scannedFor = ctx;
  }
  for (const id of ids) if (found[id] === 1) return true;
  return false;
}

/** Runs rules, one hit per rule that matched, its spans the first few matches. */
export function runRules(ctx: Context, rules: readonly Rule[]): Hit[] {
  const hits: Hit[] = [];
  for (const rule of rules) {
    if (!present(ctx, rule)) continue;
    const text = rule.clean ? ctx.c : ctx.f;
    const found = scan(rule.re, text);
    if (found.length === 0) continue;
    const toSpan = rule.clean ? spanC : spanF;
    hits.push({ rule: rule.id, confidence: rule.confidence, spans: found.map((m) => toSpan(ctx, m.index, m.index + m[0].length)) });
  }
  return hits;
}

/** [start, end) of the sentence around folded offset `at` (bounded so huge inputs stay cheap). */
export function sentenceAt(text: string, at: number): [number, number] {
  let s = at;
  const floor = Math.max(0, at - 400);
  while (s > floor && !/[.!?\n]/.test(text[s - 1] ?? '')) s -= 1;
  let e = at;
  const ceiling = Math.min(text.length, at + 400);
  while (e < ceiling && !/[.!?\n]/.test(text[e] ?? '')) e += 1;
  return [s, e];
}

/**
 * Turns a detector's hits into evidence. Independent cues add up: two distinct rules that each
 * fall short together make a combined hit (strongest + 0.15 per extra cue), as a moderator would
 * read "better watch out" plus "accidents happen" as one threat.
 */
export function toEvidence(category: Category, hits: readonly Hit[], combine = true): Evidence[] {
  if (hits.length === 0) return [];
  const out: Evidence[] = hits.map((h) => ({ category, rule: h.rule, spans: h.spans.slice(0, MAX_MATCHES), confidence: round(h.confidence) }));
  // One cue per rule: the same rule matching twice is one signal, not two.
  const byRule = new Map<string, Hit>();
  for (const h of hits) if (h.confidence >= 0.3 && (byRule.get(h.rule)?.confidence ?? 0) < h.confidence) byRule.set(h.rule, h);
  const cues = [...byRule.values()];
  if (combine && cues.length >= 2) {
    const best = Math.max(...cues.map((h) => h.confidence));
    const boosted = Math.min(0.95, best + 0.15 * (cues.length - 1));
    out.push({
      category, rule: `cues:${cues.map((h) => h.rule).join('+')}`,
      spans: cues.flatMap((h) => h.spans).slice(0, MAX_MATCHES), confidence: round(boosted),
    });
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** True when folded [s, e) overlaps an allowlisted stretch. */
export function isAllowed(ctx: Context, s: number, e: number): boolean {
  return ctx.allowed.some(([a, b]) => s < b && e > a);
}
