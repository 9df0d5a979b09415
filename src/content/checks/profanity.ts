// Profanity in a city post blocks (KA-12 and BZ-14 "profane, obscene" via the staff duty to follow
// the Acceptable Use policy, LX-6 abusive content, MN-6 appropriate language). The word list is
// the `obscenity` package's English data set. Its matcher finds terms inside longer words and
// through look-alike characters, which is right for residents dodging a filter but wrong for a
// city naming Dickinson Street or fire retardant, so each match is kept only when it is a whole
// word (or the term plus a common ending), a compound built on an unambiguous term, or spelled
// with masking characters ("f*ck").
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { cite, policyNote, RULES } from './citations.js';
import { finding, quoteExcerpt, where, withoutLinks } from './text.js';
import type { CheckContext, Finding } from './types.js';

let matcher: RegExpMatcher | null = null;

function getMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

const ENDINGS = ['', 's', 'es', 'ed', 'er', 'ers', 'ing', 'in', 'y', 'ies', 'head', 'heads', 'hole', 'holes', 'bag', 'bags', 'face', 'wit', 'wits', 'tard', 'off'];
// Only these are unambiguous inside a compound ("bullshit", "motherfucker").
const COMPOUND_CORES = ['fuck', 'shit'];
// Terms that are also given names or surnames when capitalised ("Dick Anderson", "Dick's").
const NAME_LIKE = new Set(['dick', 'cock', 'pussy', 'fag', 'willy', 'johnson', 'ho', 'hoe']);
// Set phrases in which a term is innocent.
const INNOCENT_PHRASES = /\b(?:(?:magna|summa)\s+)?cum\s+laude\b|\bpussy\s?willows?\b/gi;

interface Word {
  start: number;
  end: number;
  core: string;
}

/** The whitespace-delimited word around [start, end), without edge punctuation or a trailing 's. */
function wordAround(text: string, start: number, end: number): Word {
  let s = start;
  while (s > 0 && !/\s/.test(text[s - 1] ?? '')) s -= 1;
  let e = end;
  while (e < text.length && !/\s/.test(text[e] ?? '')) e += 1;
  let word = text.slice(s, e);
  const lead = word.length - word.replace(/^[("'“‘[]+/, '').length;
  word = word.slice(lead).replace(/[)"'”’\].,;:!?]+$/, '').replace(/['’]s$/i, '');
  return { start: s + lead, end: s + lead + word.length, core: word };
}

function keep(text: string, start: number, end: number, term: string): Word | null {
  const word = wordAround(text, start, end);
  const letters = word.core.toLowerCase().replace(/[^a-z]/g, '');
  const spansWord = start <= word.start && end >= word.end;
  const masked = /[*@$!#0-9]/.test(word.core) && spansWord;
  const whole = ENDINGS.some((ending) => letters === `${term}${ending}`);
  const compound = COMPOUND_CORES.some((core) => letters.includes(core));
  if (!masked && !whole && !compound) return null;
  const capitalised = /^[A-Z][a-z]/.test(word.core);
  if (NAME_LIKE.has(term) && capitalised) return null;
  return word;
}

export function checkProfanity(ctx: CheckContext): Finding[] {
  const citation = cite(ctx.pack, RULES.profanity);
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    const prose = withoutLinks(on.text);
    const innocent = [...prose.matchAll(INNOCENT_PHRASES)].map((m) => [m.index, m.index + m[0].length] as const);
    const seen = new Set<number>();
    for (const match of getMatcher().getAllMatches(prose, true)) {
      const start = match.startIndex;
      const end = match.endIndex + 1; // obscenity's end index is inclusive
      if (innocent.some(([s, e]) => start >= s && end <= e)) continue;
      const term = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord ?? '';
      const word = keep(prose, start, end, term);
      if (!word || seen.has(word.start)) continue;
      seen.add(word.start);
      const excerpt = on.text.slice(word.start, word.end);
      out.push(
        finding({
          id: 'language.profanity',
          severity: 'block',
          message: `Remove the profanity ${quoteExcerpt(excerpt)} from ${where(on)}: city posts may not use profane or obscene language.${policyNote(ctx.pack, citation)}`,
          citation,
          excerpt,
          range: [word.start, word.end],
          on,
        }),
      );
    }
  }
  return out;
}
