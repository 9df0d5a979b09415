// Off topic: hiding a comment for being off topic is lawful only when it plainly is, and a wrong
// call silences a resident, so this detector is deliberately narrow and its confidence low. It
// needs a recognisable off-topic genre (lost pets, "can someone recommend a dentist", last night's
// game, yard sales, follow-my-page) AND no content word shared with the post AND no word of city
// business at all. Spam schemes (crypto, MLM, dating) are off topic wherever they appear; that
// case is decided in index.ts from the commercial detector.
import { runRules, type Context, type Hit, type Rule } from './context.js';
import { CIVIC_WORD } from './lexicon.js';

const GENRES: Rule[] = [
  { id: 'lost-and-found', re: /\b(?:lost|missing|found)\b[:!]?\s+(?:\w+\s+){0,5}?(?:dog|cat|tabby|puppy|kitten|parrot|bird|pet|wallet|keys|phone|ring|bike|tortoise|rabbit)\b|^\s*(?:lost|found|missing)\s*[:!]/gm, confidence: 0.6 },
  { id: 'asks-for-a-recommendation', re: /\b(?:can|could) (?:someone|anyone|anybody|somebody|you guys) (?:recommend|suggest)\b|\b(?:does |do )?(?:anyone|anybody) (?:know|have|recommend) (?:a good|of a|a decent|if the|where (?:i|to) (?:can )?(?:buy|get|find))\b|\blooking for (?:a )?(?:good |reliable )?(?:dentist|plumber|mechanic|babysitter|roofer|electrician|doctor|vet|lawyer|realtor|hairdresser|barber|restaurant|daycare)\b/g, confidence: 0.6 },
  { id: 'sports-and-entertainment', re: /\b(?:who'?s|anyone|who is|who else is) watching\b|\b(?:game|match|fight) tonight\b|\bsuper bowl\b|\bplayoffs?\b|\btouchdown\b|\b(?:going to|at|watch(?:ing)?) the \w+ game\b|🏈|⚽|🏀|⚾|🏒|🏆|\bgo (?:\w+ )?(?:hawks|team)\b|\bgo [a-z]+s!|\b(?:state )?champs\b|\bchampionship\b/g, confidence: 0.6 },
  { id: 'classified-ad', re: /\bfor sale\b|\bselling my\b|\bobo\b|\b(?:garage|yard|estate) sale\b|\b(?:anyone|anybody) selling\b|\blooking to buy\b|\biso\b|\bwtb\b/g, confidence: 0.55 },
  { id: 'social-spam', re: /\bfollow (?:me|my page)\b|\bcheck out my (?:channel|page|profile|video|tiktok)\b|\bsubscribe to my\b|\blike and share\b|\bhappy birthday\b/g, confidence: 0.55 },
];

const CIVIC = new RegExp(CIVIC_WORD);
// Words that say nothing about the subject ("open", "today", weekdays) do not count as overlap.
const STOP = new Set(`the and for are but not you your with this that have has had was were will would could should can
  just what when where which who whom why how all any each every some more most other such only own same than too very
  does did doing done about above after again against below between both down during from further here into its itself
  off once out over there these they them their then those through under until while being been also get got make know
  need want think like please thanks thank today tonight tomorrow week weekend day days time anyone someone anybody
  somebody everyone open opens opening near very good great free new year years month still even said says see saw
  monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays
  sundays january february march april may june july august september october november december lol
  don doesn isn aren wasn weren won can couldn shouldn wouldn didn haven hasn ain`.split(/\s+/));

function stem(word: string): string {
  const w = word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word;
  return w.length > 5 ? w.slice(0, 5) : w;
}

function contentWords(text: string, limit: number): Set<string> {
  const out = new Set<string>();
  // Apostrophes split words ("ward's" -> "ward", "s"), so possessives still overlap.
  const words = text.slice(0, limit).match(/[a-z][a-z-]{2,}/g) ?? [];
  for (const w of words) if (!STOP.has(w)) out.add(stem(w));
  return out;
}

/** Content words of the comment that also occur in the post. */
const postWords = new Map<string, Set<string>>();

export function overlapWithPost(ctx: Context): number {
  if (!ctx.post) return 0;
  let post = postWords.get(ctx.post);
  if (!post) {
    post = contentWords(ctx.post, 5000);
    if (postWords.size > 512) postWords.clear();
    postWords.set(ctx.post, post);
  }
  let n = 0;
  for (const w of contentWords(ctx.f, 5000)) if (post.has(w)) n += 1;
  return n;
}

export function detectOffTopic(ctx: Context): Hit[] {
  // Without the post there is nothing to be off topic from; long comments are rarely chatter.
  if (!ctx.post || ctx.f.length > 600) return [];
  const hits = runRules(ctx, GENRES);
  if (hits.length === 0 || overlapWithPost(ctx) > 0) return [];
  // A lost dog, last night's game or a yard sale is chatter even if it names a park; a request
  // for a recommendation may be about city services, so it also needs no civic word.
  return CIVIC.test(ctx.f) ? hits.filter((h) => h.rule !== 'asks-for-a-recommendation') : hits;
}
