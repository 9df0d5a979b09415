// Spelling (MN-6: "accurate and free of grammatical errors"; every policy asks for accurate
// posts). Hints only, against the Hunspell en-US dictionary from `dictionary-en`. Capitalised
// words are skipped because a checker cannot tell a misspelling from a street, a person or a
// business; links, e-mail addresses, @handles, #hashtags and anything with a digit are skipped too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import nspell from 'nspell';
import { cite, policyNote, RULES } from './citations.js';
import { finding, proseOnly, quoteExcerpt, where } from './text.js';
import type { CheckContext, Finding } from './types.js';

const MAX_FINDINGS = 10;
const MAX_SUGGEST_LENGTH = 20;
const MAX_SUGGESTIONS = 3;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

// Words of local government the general dictionary lacks; without them every stormwater notice
// would carry a hint.
const CIVIC_WORDS = `stormwater pickleball signup signups parklet parklets streetscape streetscapes bikeway
  bikeways recycler recyclers livestream livestreams livestreamed livestreaming trailhead trailheads
  wifi greenway greenways ebike ebikes councilmember councilmembers snowpack splashpad splashpads
  bioswale bioswales microtransit roundabouts xeriscape xeriscaping placemaking walkability
  bikeshare rideshare`.split(/\s+/);

type Speller = ReturnType<typeof nspell>;
let speller: Speller | null = null;

function getSpeller(): Speller {
  if (!speller) {
    // The dictionary files are read here, on first use, rather than through dictionary-en's own
    // entry point, which reads them with a top-level await: that would make every importer of
    // the checks async-loaded and unloadable from CommonJS (tsx scripts, require()).
    const entry = createRequire(import.meta.url).resolve('dictionary-en');
    const aff = readFileSync(new URL('index.aff', pathToFileURL(entry)));
    const dic = readFileSync(new URL('index.dic', pathToFileURL(entry)));
    speller = nspell({ aff, dic });
    for (const word of CIVIC_WORDS) speller.add(word);
  }
  return speller;
}

function known(spell: Speller, word: string): boolean {
  if (spell.correct(word)) return true;
  // Hyphenated compounds ("drop-off", "e-bike") are fine when each part is a word.
  const parts = word.split('-').filter((p) => p.length > 1);
  return word.includes('-') && parts.every((p) => spell.correct(p));
}

/**
 * Dictionary words one edit away (a letter dropped, added, changed, or two swapped). nspell's own
 * suggest() goes on to two edits when one finds nothing, which takes up to half a second for a
 * word such as a surname or a typo-riddled one; the checks run on every save, so they stop at one.
 */
function suggest(spell: Speller, word: string): string[] {
  const lower = word.toLowerCase();
  const candidates: string[] = [];
  for (let i = 0; i < lower.length - 1; i += 1) candidates.push(lower.slice(0, i) + lower[i + 1] + lower[i] + lower.slice(i + 2));
  for (let i = 0; i < lower.length; i += 1) candidates.push(lower.slice(0, i) + lower.slice(i + 1));
  for (let i = 0; i <= lower.length; i += 1) for (const c of ALPHABET) candidates.push(lower.slice(0, i) + c + lower.slice(i));
  for (let i = 0; i < lower.length; i += 1) for (const c of ALPHABET) if (c !== lower[i]) candidates.push(lower.slice(0, i) + c + lower.slice(i + 1));
  const out: string[] = [];
  for (const candidate of candidates) {
    if (candidate.length > 1 && !out.includes(candidate) && spell.correct(candidate)) out.push(candidate);
    if (out.length === MAX_SUGGESTIONS) break;
  }
  return out;
}

interface Unknown {
  word: string;
  start: number;
  end: number;
}

function unknownWords(text: string, cityWords: Set<string>, spell: Speller): Unknown[] {
  const prose = proseOnly(text);
  const out: Unknown[] = [];
  for (const m of prose.matchAll(/[\p{L}\p{N}'’-]+/gu)) {
    const raw = m[0];
    const lead = raw.length - raw.replace(/^['’-]+/, '').length;
    const word = raw.slice(lead).replace(/['’-]+$/, '');
    if (word.length < 2 || /\p{N}/u.test(word) || /^\p{Lu}/u.test(word)) continue;
    const normal = word.replace(/’/g, "'");
    if (cityWords.has(normal.toLowerCase()) || known(spell, normal)) continue;
    const start = m.index + lead;
    out.push({ word, start, end: start + word.length });
  }
  return out;
}

export function checkSpelling(ctx: CheckContext): Finding[] {
  const spell = getSpeller();
  const citation = cite(ctx.pack, RULES.spelling);
  const cityWords = new Set(ctx.pack.city.name.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean));
  const reported = new Set<string>();
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    for (const u of unknownWords(on.text, cityWords, spell)) {
      const key = u.word.toLowerCase();
      if (reported.has(key)) continue;
      reported.add(key);
      if (out.length >= MAX_FINDINGS) return out;
      const suggestions = u.word.length <= MAX_SUGGEST_LENGTH ? suggest(spell, u.word.replace(/’/g, "'")) : [];
      const advice = suggestions.length ? ` Did you mean ${suggestions.map((s) => `“${s}”`).join(' or ')}?` : '';
      out.push(
        finding({
          id: 'spelling',
          severity: 'hint',
          message: `${quoteExcerpt(u.word)} in ${where(on)} is not in the dictionary.${advice}${policyNote(ctx.pack, citation)}`,
          citation,
          excerpt: u.word,
          range: [u.start, u.end],
          on,
        }),
      );
    }
  }
  return out;
}
