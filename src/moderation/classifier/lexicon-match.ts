// Profane, sexual and slur words, found with the obscenity package's English dataset (with its
// whitelist: "assess", "Scunthorpe", "cockney") plus a few words it lacks, run over the folded view
// so "sh!t", "f.u.c.k", "ѕhіt" and "a$$hat" are caught; masked words ("f*cking", "s***") are
// matched against a short list by their visible letters. Each word is sorted into the category a
// moderator would use: strong words are profanity, explicit terms sexual, slurs discrimination,
// and "damn", "hell", "crap", "piss" or a bare "ass" mild (reported, never a label).
import {
  DataSet, RegExpMatcher, SyntaxKind, collapseDuplicatesTransformer, englishDataset, parseRawPattern, type ParsedPattern,
} from 'obscenity';
import { isAllowed, spanF, type Context, type Hit } from './context.js';
import { endOf, startOf } from './normalize.js';

type Kind = 'profanity' | 'sexual' | 'slur' | 'mild';

const SEXUAL = new Set(['anal', 'anus', 'bestiality', 'blowjob', 'boob', 'buttplug', 'cum', 'deepthroat', 'dildo', 'doggystyle',
  'double penetration', 'ejaculate', 'felch', 'fellatio', 'finger bang', 'fisting', 'gangbang', 'handjob', 'hentai', 'hooker',
  'incest', 'jerk off', 'jizz', 'lubejob', 'masturbate', 'orgasm', 'orgy', 'penis', 'porn', 'semen', 'tit', 'vagina']);
const SLURS = new Set(['abo', 'abeed', 'africoon', 'arabush', 'boonga', 'chingchong', 'chink', 'kike', 'negro', 'nigger', 'fag',
  'dyke', 'tranny', 'retard', 'spastic', 'maricon']);
const MILD = new Set(['ass', 'arse', 'piss', 'turd', 'damn', 'crap', 'hell']);
// Words that are also names ("Mayor Dick Olsen", "Hooker Avenue"): capitalised beside another
// capitalised word or after a title, they are read as a name.
const NAME_WORDS = new Set(['dick', 'cock', 'hooker', 'prick', 'dyke', 'tit']);
// "sex" (same-sex, sex offender), "rape" (reports of crimes), "scat" (animal droppings on trails):
// too often lawful, left to the contextual detectors.
const DROPPED = new Set(['sex', 'rape', 'scat']);
// Ordinary words the dataset's patterns catch (found by running an English dictionary through the
// classifier): "feckless council", "fire retardant", "cockpit", "Shiite", "shiitake", "assortment".
const SAFE_WORDS = /^(?:feckless\w*|retardant\w*|retarder\w*|cockpits?|cockscombs?|cocksure|cockney\w*|shiites?|shiitake\w*|traffick\w*|mishits?|assn|asst|assort\w*|assonan\w*|bastardi[sz]\w*|bastardy|analects|analges\w*|annalists?|annals|cryptanaly\w*|cumin|cummerbunds?|cummings|dicker\w*|dickey\w*|dickens\w*|dickinson|dickson|dickerson|chappaquiddick|coriolanus|eridanus|oceanus|gondwanaland|fukuoka|fukuyama|vandyke\w*|wankel|gasmen|niggard\w*|pussycats?|pussyfoot\w*|boobies|booby|titmouse|titmice|blue ?tits?|pacifist\w*|scunthorpe|penistone|middlesex|sussex|essex|wessex|hancock|hitchcock|babcock|peacocks?|shuttlecocks?|woodcocks?|weathercocks?|stopcocks?|gamecocks?|cocktails?|cockatoos?|cockatiels?|cockroach\w*|cockles?|cockburn|assyrian?s?)$/;
// Explicit in some uses and innocent in others (a blue tit, a booby trap, cum laude): a cue, not a label.
const AMBIGUOUS_SEXUAL = new Set(['anal', 'anus', 'boob', 'tit', 'cum', 'hooker', 'bestiality', 'incest']);

const EXTRA: Array<[string, string[]]> = [
  ['wtf', ['|wtf|', '|wtaf|']], ['stfu', ['|stfu|']], ['gtfo', ['|gtfo|']], ['fml', ['|fml|']], ['mofo', ['|mofo|']], ['ahole', ['|a-hole', '|ahole']],
  ['pinche', ['|pinche|', '|pinches|']], ['desmadre', ['|desmadre']], ['puta', ['|puta|', '|putas|', '|puto|']],
  ['pendejo', ['|pendej']], ['mierda', ['|mierda']], ['chinga', ['|chinga', '|chingo']], ['cabron', ['|cabron']],
  ['culero', ['|culer']], ['verga', ['|verga|']], ['joder', ['|joder|']], ['maricon', ['|maricon']],
];

interface Phrase {
  originalWord: string;
}

const dataset = new DataSet<Phrase>().addAll(englishDataset).removePhrasesIf((p) => DROPPED.has(p.metadata?.originalWord ?? ''));
for (const [word, patterns] of EXTRA) {
  dataset.addPhrase((p) => {
    let b = p.setMetadata({ originalWord: word });
    for (const src of patterns) b = b.addPattern(parseRawPattern(src));
    return b;
  });
}

// The folded view is already lower case with look-alikes and leetspeak resolved, so of the
// preset's transformers only the duplicate collapsing ("fuuuck") is still needed.
const matcher = new RegExpMatcher({
  ...dataset.build(),
  blacklistMatcherTransformers: [collapseDuplicatesTransformer({
    defaultThreshold: 1,
    customThresholds: new Map([['b', 2], ['e', 2], ['o', 2], ['l', 2], ['s', 2], ['g', 2]]),
  })],
});

// The matcher runs each of its ~120 patterns separately; one combined, slightly looser regex tells
// whether it can match at all, which for most comments it cannot. It is asked word by word, with
// the answer cached per word, since comments reuse a small vocabulary. Runs of a letter are cut
// to two first ("fuuuuck" -> "fuuck"), so every quantifier is bounded and the check stays linear
// even on a 1 MB word.
function looseSource(p: ParsedPattern): string {
  const esc = (c: number) => String.fromCharCode(c).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = p.nodes.map((n) => {
    if (n.kind === SyntaxKind.Literal) return n.chars.map((c) => `${esc(c)}{1,2}`).join('');
    if (n.kind === SyntaxKind.Wildcard) return '.{1,2}';
    const child = n.childNode;
    return child.kind === SyntaxKind.Wildcard ? '.{0,2}' : `(?:${child.chars.map((c) => `${esc(c)}{1,2}`).join('')})?`;
  }).join('');
  return `${p.requireWordBoundaryAtStart ? '(?<![a-z])' : ''}${body}${p.requireWordBoundaryAtEnd ? '(?![a-z])' : ''}`;
}
const MAY_MATCH = new RegExp(dataset.build().blacklistedTerms.map((t) => looseSource(t.pattern)).join('|'));
const wordVerdicts = new Map<string, boolean>();
const WORD = /[a-z]+(?:-[a-z]+)*/g;

const RUNS = /(.)\1{2,}/g;

function mayMatch(f: string): boolean {
  // Phrases spanning words ("double penetration") are checked on the whole text.
  if (f.includes(' pen')) return MAY_MATCH.test(f.replace(RUNS, '$1$1'));
  WORD.lastIndex = 0;
  for (let m = WORD.exec(f); m; m = WORD.exec(f)) {
    const w = m[0];
    let verdict = wordVerdicts.get(w);
    if (verdict === undefined) {
      verdict = MAY_MATCH.test(w.length > 2 ? w.replace(RUNS, '$1$1') : w);
      if (wordVerdicts.size > 100_000) wordVerdicts.clear();
      wordVerdicts.set(w, verdict);
    }
    if (verdict) {
      WORD.lastIndex = 0;
      return true;
    }
  }
  return false;
}

const MASK_WORDS: Array<[string, Kind]> = [
  ...['fuck', 'fucking', 'fucked', 'fucker', 'fuckin', 'fucks', 'motherfucker', 'shit', 'shitty', 'bullshit', 'bitch', 'bitches',
    'cunt', 'asshole', 'asshat', 'dick', 'dickhead', 'bastard', 'cock', 'pussy', 'whore', 'slut', 'twat', 'prick']
    .map((w): [string, Kind] => [w, 'profanity']),
  ...['fag', 'faggot', 'nigger', 'nigga', 'retard'].map((w): [string, Kind] => [w, 'slur']),
  ...['damn', 'ass', 'hell', 'crap', 'piss', 'arse'].map((w): [string, Kind] => [w, 'mild']),
];
// Masks: *, #, % anywhere, or a run of dashes inside a word ("f---ing").
const MASKED = /[a-z][a-z*#%-]*(?:[*#%]|--)[a-z*#%-]*/g;

export interface LexiconHits {
  profanity: Hit[];
  sexual: Hit[];
  discrimination: Hit[];
  /** Folded [start, end) of every strong word, for detectors that look at what it is aimed at. */
  strongAt: Array<[number, number]>;
}

function kindOf(word: string, whole: string): Kind {
  if (SLURS.has(word)) return 'slur';
  if (SEXUAL.has(word)) return 'sexual';
  // "ass" in "asshat", "dumbass" or "jackass" is an insult; alone ("kick ass") it is mild.
  if (word === 'ass' || word === 'arse') return /^(?:ass|arse|asses|a+s+|assed|arsed)$/.test(whole) ? 'mild' : 'profanity';
  if (MILD.has(word)) return 'mild';
  return 'profanity';
}

function wordAround(f: string, s: number, e: number): [number, number] {
  let a = s;
  while (a > 0 && /[a-z]/.test(f[a - 1])) a -= 1;
  let b = e;
  while (b < f.length && /[a-z]/.test(f[b])) b += 1;
  return [a, b];
}

/** A capitalised word next to another capitalised word or after a title reads as a name. */
function looksLikeName(ctx: Context, s: number, e: number): boolean {
  const from = startOf(ctx.folded, s);
  const to = endOf(ctx.folded, e - 1);
  const word = ctx.original.slice(from, to);
  if (!/^[A-Z]/.test(word)) return false;
  const before = ctx.original.slice(Math.max(0, from - 24), from);
  const after = ctx.original.slice(to, to + 24);
  return /\b(?:Mayor|Mr|Mrs|Ms|Dr|Councilman|Councilwoman|Councilmember|Commissioner|Chief|Officer|Judge|Director|Rev|Pastor|Uncle|Aunt)\.?\s+$/.test(before)
    || /^[a-z]*\s+(?:[A-Z][a-z]+|St\b|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Way|Blvd|Park)/.test(after)
    || /[A-Z][a-z]+\s+$/.test(before);
}

const CONFIDENCE: Record<Kind, number> = { profanity: 0.9, sexual: 0.85, slur: 0.9, mild: 0.2 };

export function lexiconHits(ctx: Context): LexiconHits {
  const out: LexiconHits = { profanity: [], sexual: [], discrimination: [], strongAt: [] };
  const f = ctx.f;
  const seen = new Set<string>();
  const add = (kind: Kind, word: string, s: number, e: number, how: string) => {
    if (isAllowed(ctx, s, e)) return;
    const span = spanF(ctx, s, e);
    const plain = span.text.toLowerCase() === f.slice(s, e);
    let confidence = kind === 'sexual' && AMBIGUOUS_SEXUAL.has(word) ? 0.45 : word === 'negro' ? 0.7 : CONFIDENCE[kind];
    let rule = `${how}:${word}${plain || how === 'masked' ? '' : ' (obfuscated)'}`;
    if (NAME_WORDS.has(word) && plain && looksLikeName(ctx, s, e)) {
      confidence = 0.25;
      rule += ' (looks like a name)';
    }
    if (word === 'tit' && /tit for tat/.test(f.slice(s, s + 11))) return;
    const key = `${kind}:${rule}`;
    const target = kind === 'slur' ? out.discrimination : kind === 'sexual' ? out.sexual : out.profanity;
    const existing = seen.has(key) ? target.find((h) => h.rule === rule) : undefined;
    if (existing) {
      if (existing.spans.length < 6) existing.spans.push(span);
      return;
    }
    seen.add(key);
    target.push({ rule, confidence, spans: [span] });
    if (kind !== 'mild' && confidence >= 0.5) out.strongAt.push([s, e]);
  };

  const candidates = mayMatch(f) ? matcher.getAllMatches(f, true).slice(0, 40) : [];
  for (const m of candidates) {
    const { phraseMetadata } = dataset.getPayloadWithPhraseMetadata(m);
    const word = phraseMetadata?.originalWord ?? 'unknown';
    const [a, b] = wordAround(f, m.startIndex, m.endIndex + 1);
    const whole = f.slice(a, b);
    if (SAFE_WORDS.test(whole) || SAFE_WORDS.test(whole.replace(/(?:es|s|ed|ing)$/, ''))) continue;
    const kind = kindOf(word, f.slice(a, b));
    add(kind, word, a, b, 'lexicon');
    // Explicit body words also count as profanity when used as vulgarity ("dick", "cock").
    if (kind === 'profanity' && (word === 'pussy' || word === 'cock')) add('sexual', word, a, b, 'lexicon');
  }

  // "ffs" is matched here: the duplicate collapsing would turn it into "fs" for the matcher; and
  // "f'ing", "f'in", "f-ed" abbreviate the word without masking it.
  for (const m of f.matchAll(/\bffs\b|\bf(?:'|-)(?:ing|in|ed|en)\b/g)) {
    add('profanity', m[0] === 'ffs' ? 'ffs' : 'fuck', m.index ?? 0, (m.index ?? 0) + m[0].length, 'lexicon');
    break;
  }
  MASKED.lastIndex = 0;
  let n = 0;
  for (let m = MASKED.exec(f); m && n < 40; m = MASKED.exec(f), n++) {
    const token = m[0];
    if (token.length < 3 || token.length > 14 || /[a-z]/.test(f[m.index - 1] ?? '')) continue;
    const covers = (w: string, t: string) => [...w].every((ch, i) => t[i] === ch || t[i] === '*' || t[i] === '#' || t[i] === '%' || t[i] === '-');
    // Whole word ("f*cking"), or a masked strong word opening a compound ("sh*tshow").
    const fits = MASK_WORDS.filter(([w, k]) => (w.length === token.length && covers(w, token))
      || (k !== 'mild' && w.length < token.length && covers(w, token) && /^[a-z]+$/.test(token.slice(w.length))));
    if (fits.length === 0) continue;
    // An ambiguous mask ("d***": dick or damn) gets the benefit of the doubt.
    const [word, kind] = fits.find(([, k]) => k === 'mild') ?? fits[0];
    add(kind, word, m.index, m.index + token.length, 'masked');
  }
  return out;
}
