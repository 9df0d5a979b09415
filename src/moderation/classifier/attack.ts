// Personal attacks: name-calling aimed at a person ("the mayor is a moron", "you absolute asshat",
// "a spoiled trust-fund clown") as opposed to criticism of what they did ("the mayor's plan is
// foolish", "incompetent planning", "this looks corrupt, Chief"), which is protected. Nouns that
// only ever insult count wherever they are aimed at someone; figurative ones (clown, pig, snake)
// only when predicated of a person or sharpened by an insulting modifier, because the festival
// has clowns and the trail has snakes. Adjectives count only when they sit on a person.
import { runRules, scan, sentenceAt, spanF, type Context, type Hit, type Rule } from './context.js';
import { INSULT_ADJ, INSULT_FIGURATIVE, INSULT_MODIFIER, INSULT_NOUN, INSULT_PERSON, PERSON_POINTER, PERSON_ROLE } from './lexicon.js';
import { hasPersonRef } from './people.js';

// Words that may stand between "you" / "is a" and the insult ("you absolute", "is a slimy little").
const FILLER = String.raw`(?:'re|are|r|is|absolute|complete|total|utter|such|an?|the|one|just|nothing|but|real|fucking|freaking|little|big|fat|old|lying|pathetic|worthless|useless|stupid|dumb|spineless|biggest|worst|bunch|of|pack|like|clueless|slimy|spoiled|entitled|sorry|${INSULT_MODIFIER}|${INSULT_ADJ}|\w+-\w+)`;
const END = String.raw`(?![\w-])`;
// A figurative insult ends the phrase: "you clown." is an insult, "thank you trash crews" is not.
const FIGURATIVE_END = String.raw`(?=\s*(?:$|[.!?,;:)"'😂🤡]|\b(?:and|who|that|like|of|for|from|with|in|on|at|if|but|or|because|lol|you|he|she)\b))`;
const INSULT_AIMED = String.raw`(?:${INSULT_PERSON}${END}|${INSULT_FIGURATIVE}${FIGURATIVE_END})`;
const PERSON_ONLY = new RegExp(String.raw`(?<![\w-])${INSULT_PERSON}${END}`, 'g');
const SHARPENED = new RegExp(String.raw`\b${INSULT_MODIFIER}(?: \S+){0,2}? ${INSULT_FIGURATIVE}${FIGURATIVE_END}`, 'g');

const RULES: Rule[] = [
  { id: 'insult-to-you', re: new RegExp(String.raw`\byou(?:'re| are| r)?(?: ${FILLER}){0,4} ${INSULT_AIMED}`, 'g'), needles: ['you'], confidence: 0.85 },
  { id: 'insulting-adjective-on-person', re: new RegExp(String.raw`\b${INSULT_ADJ} (?:\w+ )?(?:${PERSON_ROLE}|bitch|prick|bastard)\b|\byou (?:${INSULT_ADJ} )+\w+\b|\b(?:he|she|you|${PERSON_ROLE})(?:'s|'re| is| are) (?:so |such an? |a |too |completely |totally )?(?:stupid|dumb|brain[- ]?dead|ugly|fat|senile|moronic|retarded|inbred)\b`, 'g'), confidence: 0.7 },
  { id: 'and-so-are-you', re: /\b(?:is|are) (?:trash|garbage|scum|filth|worthless|pathetic|disgusting|a joke) and so (?:are|is) (?:you|he|she)\b|\byou(?:'re| are) (?:trash|garbage|scum|filth|worthless|disgusting|a waste)\b/g, needles: ['so are', 'so is', "you're", 'you are'], confidence: 0.85 },
  { id: 'called-a-lesser-person', re: new RegExp(String.raw`\b(?:you(?:'re| are)|(?:he|she)(?:'s| is)) (?:a |an |such a |one )(?:${INSULT_MODIFIER} |${INSULT_ADJ} )+(?:little |old )?(?:man|woman|person|human(?: being)?|creature|individual|excuse for (?:a|an) \w+)\b`, 'g'), needles: ['man', 'woman', 'person', 'human', 'creature', 'individual', 'excuse for'], confidence: 0.75 },
  { id: 'fuck-you', re: new RegExp(String.raw`\b(?:fuck|screw) (?:you|him|her|off|the ${PERSON_ROLE})\b`, 'g'), needles: ['fuck', 'screw'], confidence: 0.75 },
];

const PREDICATE = new RegExp(String.raw`\b(?:is|'s|are|'re|was|were|be|being)(?: ${FILLER}){0,5} (${INSULT_AIMED})`, 'g');
const PERSON_ONLY_WORD = new RegExp(String.raw`^${INSULT_PERSON}$`);
const POINTER = new RegExp(String.raw`\b(?:${PERSON_POINTER}|${PERSON_ROLE})\b`);
// One pass that says whether any insult word is present before the three scans that place it.
const ANY_INSULT = new RegExp(String.raw`${INSULT_NOUN}`);

function personIn(ctx: Context, s: number, e: number): boolean {
  return POINTER.test(ctx.f.slice(s, e)) || hasPersonRef(ctx, s, e);
}

export function detectAttack(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  if (!ANY_INSULT.test(ctx.f)) return hits;
  const span = (m: RegExpExecArray) => [spanF(ctx, m.index, m.index + m[0].length)];
  // "X is a moron": an insult as the predicate of a sentence about someone.
  for (const m of scan(PREDICATE, ctx.f, 3)) {
    const [s] = sentenceAt(ctx.f, m.index);
    if (personIn(ctx, s, m.index)) {
      hits.push({ rule: 'called-an-insult', confidence: 0.85, spans: span(m) });
      return hits;
    }
    // "This council is a bunch of idiots": aimed at a body, not a named person.
    if (PERSON_ONLY_WORD.test(m[1] ?? '')) hits.push({ rule: 'insult-predicate', confidence: 0.55, spans: span(m) });
  }
  for (const m of scan(SHARPENED, ctx.f, 3)) {
    const [s, e] = sentenceAt(ctx.f, m.index);
    const person = personIn(ctx, s, e);
    hits.push({ rule: person ? 'sharpened-insult-near-person' : 'sharpened-insult', confidence: person ? 0.7 : 0.4, spans: span(m) });
    if (person) break;
  }
  // An insult noun elsewhere ("what a tool, that director") counts when the sentence names
  // someone; alone ("only an idiot would") it is a weak cue.
  for (const m of scan(PERSON_ONLY, ctx.f, 3)) {
    const [s, e] = sentenceAt(ctx.f, m.index);
    const person = personIn(ctx, s, e);
    hits.push({ rule: person ? 'insult-near-person' : 'insult-word', confidence: person ? 0.65 : 0.4, spans: span(m) });
    if (person) break;
  }
  return hits;
}
