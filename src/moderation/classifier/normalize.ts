// Two normalised views of a comment, each remembering where every character came from, so a rule
// can match the normalised text and still quote the resident's own words as evidence.
//
//  - clean: NFKC, invisible characters removed, Cyrillic/Greek look-alikes mapped to Latin, curly
//    quotes straightened; case and digits kept (names, phone numbers and codes need them).
//  - folded: clean plus lower case, accents stripped, "f.u.c.k" / "s h i t" joined and leetspeak
//    resolved inside words ("sh1t", "a$$", "d@mn"); for the lexicons.

export interface View {
  readonly text: string;
  /** Original offset where character i of `text` starts; null when the view is the original's
   *  characters one for one (plain ASCII, the common case, needs no map). */
  readonly start: Int32Array | null;
  /** Original offset where character i of `text` ends (null: i + 1). */
  readonly end: Int32Array | null;
}

/** Original offset where character i of the view starts. */
export function startOf(view: View, i: number): number {
  return view.start ? view.start[i] : i;
}

/** Original offset where character i of the view ends. */
export function endOf(view: View, i: number): number {
  return view.end ? view.end[i] : i + 1;
}

// Latin look-alikes that NFKC leaves alone. Upper and lower case are listed separately so the
// clean view keeps case (capitals find names).
const HOMOGLYPH_PAIRS =
  'АA аa ВB ЕE еe ЁE ёe КK кk МM НH ОO оo РP рp СC сc ТT УY уy ХX хx ЅS ѕs ІI іi ЇI їi ЈJ јj ԁd ԚQ ԛq ' +
  'ԜW ԝw һh ҺH ӏl ӀI ɡg ıi օo սu ոn ΑA αa ΒB ΕE εe ΖZ ΗH ΙI ιi ΚK κk ΜM ΝN νv ΟO οo ΡP ρp ΤT τt ΥY υu ΧX χx ωw';
const HOMOGLYPHS = new Map<number, string>();
for (const pair of HOMOGLYPH_PAIRS.split(' ')) HOMOGLYPHS.set(pair.codePointAt(0) ?? 0, pair.slice(-1));

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i', '|': 'i', '+': 't' };
// Tokens such as "5th", "4pm" or "58k" are numbers with a unit, not leetspeak.
const NUMBER_WITH_UNIT = /^\d+(?:st|nd|rd|th|s|am|pm|k|m|ft|mph|lbs?|x|hrs?|mins?|yr|yrs|mo|min)$/;
const SEPARATORS = new Set([' ', '.', '-', '_', '*', '~', ',', '/']);

/** Zero-width, bidi, soft-hyphen, variation-selector and tag characters: invisible, so dropped. */
function invisible(cp: number): boolean {
  return cp === 0xad || cp === 0x34f || cp === 0x180e || cp === 0xfeff
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f)
    || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0000 && cp <= 0xe01ef);
}

function punctuation(cp: number): string | null {
  if (cp === 0x2018 || cp === 0x2019 || cp === 0x201b || cp === 0x2032 || cp === 0xff07) return "'";
  if (cp === 0x201c || cp === 0x201d || cp === 0x201e || cp === 0x2033) return '"';
  return null;
}

// NFKC/NFKD of one code point is pure, so a bounded cache saves re-normalising the same emoji and
// accented letters comment after comment.
const cleanCache = new Map<number, string>();
const foldCache = new Map<number, string>();
const COMBINING = /\p{M}/gu;

function cached(cache: Map<number, string>, cp: number, make: () => string): string {
  let hit = cache.get(cp);
  if (hit === undefined) {
    hit = make();
    if (cache.size < 8192) cache.set(cp, hit);
  }
  return hit;
}

class Builder {
  codes: number[] = [];
  starts: number[] = [];
  ends: number[] = [];

  push(s: string, start: number, end: number): void {
    for (let k = 0; k < s.length; k++) {
      this.codes.push(s.charCodeAt(k));
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  view(): View {
    return { text: codesToString(this.codes), start: Int32Array.from(this.starts), end: Int32Array.from(this.ends) };
  }
}

function codesToString(codes: readonly number[]): string {
  let out = '';
  // fromCharCode.apply has an argument limit; 1 MB comments are built in chunks.
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.slice(i, i + 8192));
  return out;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUnit(c: number): boolean {
  return isLower(c) || isDigit(c) || c === 36 || c === 64 || c === 33;
}

// A spelled-out word is short; a longer run of single characters ("a a a a ...") is not a word.
const MAX_SPELLED = 24;
// Tokens longer than this (no natural word is) are split with a zero-width break, so no rule
// spends more than linear time on a 1 MB string of one character.
const MAX_TOKEN = 200;

function copy(from: Builder, to: Builder, a: number, b: number): void {
  for (let k = a; k < b; k++) {
    to.codes.push(from.codes[k]);
    to.starts.push(from.starts[k]);
    to.ends.push(from.ends[k]);
  }
}

/** Joins "f.u.c.k", "s h i t", "b-u-l-l" (single characters, one repeated separator, 3 to 24). */
function collapse(b: Builder): Builder {
  const c = b.codes;
  const out = new Builder();
  const n = c.length;
  let i = 0;
  while (i < n) {
    const boundary = i === 0 || !isUnit(c[i - 1]);
    if (boundary && isUnit(c[i]) && i + 2 < n && SEPARATORS.has(String.fromCharCode(c[i + 1]))) {
      const sep = c[i + 1];
      const units = [i];
      let p = i;
      while (p + 2 < n && c[p + 1] === sep && isUnit(c[p + 2]) && (p + 3 >= n || !isUnit(c[p + 3]))) {
        p += 2;
        units.push(p);
      }
      if (units.length >= 3) {
        // "what a s h i t show": a leading article is a word of its own.
        const first = units.length >= 4 && (c[units[0]] === 97 || c[units[0]] === 105) ? 1 : 0;
        const word = units.slice(first);
        if (word.length >= 3 && word.length <= MAX_SPELLED && word.filter((u) => isLower(c[u])).length >= 2) {
          copy(b, out, i, word[0]);
          for (const u of word) copy(b, out, u, u + 1);
        } else {
          copy(b, out, i, p + 1);
        }
        // Either way the whole run is done: scanning it again from each letter would be quadratic.
        i = p + 1;
        continue;
      }
    }
    copy(b, out, i, i + 1);
    i += 1;
  }
  return out;
}

/** Splits tokens longer than MAX_TOKEN with a space that maps to no original character. */
function breakLongTokens(b: Builder): Builder {
  const out = new Builder();
  let run = 0;
  for (let k = 0; k < b.codes.length; k++) {
    const code = b.codes[k];
    run = code === 32 || code === 10 || code === 9 ? 0 : run + 1;
    if (run > MAX_TOKEN) {
      out.codes.push(32);
      out.starts.push(b.starts[k]);
      out.ends.push(b.starts[k]);
      run = 1;
    }
    copy(b, out, k, k + 1);
  }
  return out;
}

/** Resolves leetspeak inside word-like tokens that are mostly letters, in place. */
function deleet(codes: number[]): void {
  const n = codes.length;
  const tokenChar = (c: number) => isLower(c) || isDigit(c) || c === 36 || c === 64 || c === 33 || c === 124 || c === 43;
  let i = 0;
  while (i < n) {
    if (!tokenChar(codes[i])) {
      i += 1;
      continue;
    }
    let j = i;
    let letters = 0;
    let digits = 0;
    while (j < n && tokenChar(codes[j])) {
      if (isLower(codes[j])) letters += 1;
      else if (isDigit(codes[j])) digits += 1;
      j += 1;
    }
    if (letters >= 2 && digits <= letters && letters < j - i) {
      // Only short tokens can be a number with a unit; long ones are never built into a string.
      if (j - i > 16 || !NUMBER_WITH_UNIT.test(String.fromCharCode.apply(null, codes.slice(i, j)))) {
        for (let k = i; k < j; k++) {
          const ch = String.fromCharCode(codes[k]);
          const to = LEET[ch];
          if (!to) continue;
          const prev = k > i && isLower(codes[k - 1]);
          const next = k + 1 < j && isLower(codes[k + 1]);
          // "!" and "|" end sentences and "@" starts handles: they count only inside a word.
          const ok = ch === '!' || ch === '|' || ch === '+' ? prev && next : ch === '@' ? prev : prev || next;
          if (ok) codes[k] = to.charCodeAt(0);
        }
      }
    }
    i = j;
  }
}

// Plain ASCII with nothing to join or de-leet: both views are the text itself (lower-cased for
// the folded one), and no offset map is needed.
const NON_ASCII = /[^\x00-\x7f]/;

function hasLongToken(text: string): boolean {
  if (text.length <= MAX_TOKEN) return false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === 32 || c === 10 || c === 9 || c === 13 ? 0 : run + 1;
    if (run > MAX_TOKEN) return true;
  }
  return false;
}
const NEEDS_FOLDING = /(?:^|[^a-z0-9$@!])[a-z0-9$@!]([ .\-_*~,/])[a-z0-9$@!]\1[a-z0-9$@!](?![a-z0-9$@!])|[a-z][0-9$@!|+]|[0-9$@!|+][a-z]/;

export function normalise(text: string): { clean: View; folded: View } {
  const longToken = hasLongToken(text);
  if (!longToken && !NON_ASCII.test(text)) {
    const lower = text.toLowerCase();
    if (!NEEDS_FOLDING.test(lower)) {
      return { clean: { text, start: null, end: null }, folded: { text: lower, start: null, end: null } };
    }
  }
  const clean = new Builder();
  let folded = new Builder();
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const end = i + width;
    if (cp < 128) {
      const ch = text[i];
      clean.push(ch, i, end);
      folded.push(cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch, i, end);
    } else if (!invisible(cp)) {
      const glyph = HOMOGLYPHS.get(cp);
      const punct = punctuation(cp);
      if (glyph) {
        clean.push(glyph, i, end);
        folded.push(glyph.toLowerCase(), i, end);
      } else if (punct) {
        clean.push(punct, i, end);
        folded.push(punct, i, end);
      } else {
        const ch = String.fromCodePoint(cp);
        clean.push(cached(cleanCache, cp, () => ch.normalize('NFKC')), i, end);
        const f = cached(foldCache, cp, () => {
          const plain = ch.normalize('NFKD').replace(COMBINING, '');
          // Dashes become '-', other look-alikes from NFKD (fullwidth, math letters) stay folded.
          return /^[\u2010-\u2015\u2212]$/.test(plain) ? '-' : plain.toLowerCase();
        });
        if (f) folded.push(f, i, end);
      }
    }
    i = end;
  }
  folded = collapse(folded);
  if (longToken) folded = breakLongTokens(folded);
  deleet(folded.codes);
  return { clean: (longToken ? breakLongTokens(clean) : clean).view(), folded: folded.view() };
}

/** Maps [s, e) of a view back to the original text. */
export function toOriginal(view: View, original: string, s: number, e: number): { start: number; end: number; text: string } {
  if (view.text.length === 0 || e <= s) return { start: 0, end: 0, text: '' };
  const start = startOf(view, Math.min(s, view.text.length - 1));
  const end = endOf(view, Math.min(e, view.text.length) - 1);
  return { start, end, text: original.slice(start, end) };
}
