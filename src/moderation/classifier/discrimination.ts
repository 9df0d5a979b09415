// Discrimination: slurs (from the lexicon match), and a protected class (religion, race, national
// origin, gender identity, orientation, disability, age) joined to exclusion or a dehumanising
// generalisation: "we don't need Muslims deciding", "disabled kids can stay home", "stop anyone
// who looks Mexican", "old guys slow everyone down". Naming a class is not enough ("we need
// officers who speak Spanish", "there are no Black officers on the force"), so the exclusion
// must govern the class within a few words.
import { runRules, type Context, type Hit, type Rule } from './context.js';
import { PROTECTED_CLASS } from './lexicon.js';

const PRE = String.raw`(?:don'?t let|never let|ban|deport|kick out|get rid of|don'?t need|don'?t want|do not (?:need|want)|keep out|stop (?:anyone|anybody|everyone|people) who|only hire|hire real|round up|exclude|fire all|never hire|not hire|shouldn'?t hire|weed out|no more)`;
// A rule-like "no ..." opening a clause ("Add a rule: no dogs from the ... families"), not a
// report ("there are no Black officers").
const NO = String.raw`(?:^|[:;,.!?-] *|\b(?:and|or|just|rule) )no`;
const POST = String.raw`(?:shouldn'?t be allowed|should not be allowed|not allowed|aren'?t welcome|not welcome|go back (?:to (?:where|your|their (?:own|country))|home)|go home|(?:can|should|need to|go) (?:\S+ ){0,4}?(?:somewhere else|elsewhere)|(?:shouldn'?t|should not) (?:get|receive|be given) (?:a single|any|one|our|a dime|a penny|a cent)|(?:are|is) too (?:disruptive|loud|dirty|slow|old)|keep (?:them|those \w+) (?:home|out|away)|can stay (?:home|out)|stay (?:home|out|away)|need to leave|should leave|out of our|anywhere near|near our kids|don'?t belong|slow (?:everyone|us|everybody|things|everything) down|(?:are|is) (?:all |just |nothing but )?(?:criminals|animals|vermin|lazy|dirty|violent|terrorists|thugs|rapists|parasites|invaders|a burden|freeloaders|subhuman|savages|diseased|disgusting|perverts|groomers|pedophiles|degenerates|a threat|dangerous|the problem)|(?:don'?t|can'?t|never) (?:even )?know how to|tak(?:e|ing) over|replacing us|ruin(?:s|ing|ed)? (?:the|our|this)|bring(?:s|ing)? (?:crime|disease|drugs)|(?:they'?re|they are) (?:the ones|always)|(?:own|owns|control|controls|run|runs) (?:all|everything|the (?:banks|media|government|world|country))|(?:just )?use (?:\w+ ){0,2}?for (?:fighting|food|welfare))`;

// Rules that need a protected class named in the text; skipped when none is.
const CLASS_RULES: Rule[] = [
  { id: 'excludes-protected-class', re: new RegExp(String.raw`\b${PRE} (?:(?:all|the|any|those|these|more|of|our|another|a|an) ){0,2}${PROTECTED_CLASS}\b`, 'g'), confidence: 0.8 },
  { id: 'no-protected-class', re: new RegExp(String.raw`${NO} (?:\w+ ){0,4}?${PROTECTED_CLASS}\b`, 'gm'), confidence: 0.75 },
  { id: 'demeans-protected-class', re: new RegExp(String.raw`\b${PROTECTED_CLASS} (?:\w+ ){0,6}?${POST}\b`, 'g'), confidence: 0.8 },
  { id: 'keep-class-out', re: new RegExp(String.raw`\bkeep (?:\S+ ){0,4}?${PROTECTED_CLASS} (?:\w+ ){0,3}?(?:out|away)\b`, 'g'), confidence: 0.8 },
  { id: 'othering', re: new RegExp(String.raw`\b(?:those|these|all the|all those) ${PROTECTED_CLASS}\b`, 'g'), confidence: 0.45 },
  { id: 'not-them', re: new RegExp(String.raw`\bnot (?:the |those |these |any )${PROTECTED_CLASS}\b`, 'g'), confidence: 0.4 },
  { id: 'panders-to-them', re: new RegExp(String.raw`\b(?:catering|pandering|giving everything) to (?:\S+ ){0,4}?${PROTECTED_CLASS}\b|\bkeep (?:\S+ ){0,4}?out of (?:\S+ ){0,6}?where (?:\S+ ){0,3}?${PROTECTED_CLASS}\b`, 'g'), confidence: 0.6 },
];

const RULES: Rule[] = [
  { id: 'gender-exclusion', re: /\b(?:women|girls|females|ladies|an? (?:woman|girl|female)) (?:shouldn'?t|should not|can'?t|cannot|ha(?:ve|s) no business|don'?t belong|aren'?t fit to) (?:be |being |become |serve as |work as |working as |run |in )?(?:an? |the )?(?:\w+ )?(?:lifeguards?|firefighters?|cops?|officers?|police|mayors?|chiefs?|in charge|leaders?|on (?:the )?council|managers?|directors?|drivers?|politics|office|military)\b|\b(?:women|girls) belong in the kitchen\b|\b(?:only )?hire (?:only )?(?:men|males|white (?:people|guys|men)|christians)\b/g, needles: ['women', 'girl', 'female', 'lad', 'woman', 'hire'], confidence: 0.75 },
  { id: 'religious-or-ethnic-test', re: /\bshould (?:all )?be (?:christians?|white|straight|native[- ]born|born here|real americans)\b/g, needles: ['should'], confidence: 0.8 },
  { id: 'profiling', re: /\b(?:stop|check|search|detain|profile|question|arrest|card|follow|watch) (?:\w+ ){0,4}?looks? (?:mexican|muslim|arab|black|asian|foreign|illegal|middle eastern|hispanic|latino|gay|trans|african)\b/g, needles: ['look'], confidence: 0.8 },
  { id: 'normal-people', re: /\b(?:is|are) (?:for|only for|meant for) normal (?:families|people|kids|folks)\b/g, needles: ['normal'], confidence: 0.7 },
  { id: 'real-americans', re: /\b(?:hire|only|need|want) real americans\b/g, needles: ['real americans'], confidence: 0.75 },
  { id: 'cant-speak-english', re: /\bpeople who (?:can barely|can hardly|can'?t|don'?t|barely) speak english\b/g, needles: ['english'], confidence: 0.6 },
  { id: 'derogatory-collective', re: /\b(?:the blacks|blacks|the gays|the jews|the mexicans|the illegals|illegals|the queers|those muslims|these muslims|those mexicans|these immigrants|those immigrants)\b/g, confidence: 0.45 },
  { id: 'religious-dress-ban', re: /\b(?:ban|rule against|no|outlaw|prohibit) (?:\w+ )?(?:burkinis?|burqas?|niqabs?|hijabs?|headscarves|turbans?|yarmulkes?|kippahs?)\b/g, needles: ['burkini', 'burqa', 'niqab', 'hijab', 'headscar', 'turban', 'yarmulke', 'kippah'], confidence: 0.6 },
  { id: 'this-is-america', re: /\bthis is america\b|\bgo back (?:to )?where (?:you|they) came from\b/g, needles: ['this is america', 'came from'], confidence: 0.3 },
  { id: 'nationals-first', re: /\b(?:american|white|christian|native[- ]born|real|local) (?:\w+ )?(?:kids|people|families|residents|workers|applicants)? ?first\b/g, needles: ['first'], confidence: 0.45 },
  { id: 'less-than-animals', re: /\b(?:dogs|animals|pigs|rats|cockroaches) are (?:cleaner|smarter|better|more civili[sz]ed) than (?:\S+ ){0,4}?(?:people|folks|families|immigrants|refugees|mexicans|muslims|blacks)\b/g, needles: ['than'], confidence: 0.65 },
  { id: 'its-their-culture', re: /\b(?:it'?s|that'?s) (?:in )?their (?:culture|nature|blood|genes|religion|way)\b|\bghetto (?:crowd|people|trash|folks|element|types)\b/g, needles: ['their', 'ghetto'], confidence: 0.5 },
  { id: 'those-people', re: /\b(?:those|these) people (?:don'?t|can'?t|never|always|are|should)\b/g, needles: ['people'], confidence: 0.45 },
];

const CLASS = new RegExp(String.raw`\b${PROTECTED_CLASS}\b`);

export function detectDiscrimination(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  return CLASS.test(ctx.f) ? [...runRules(ctx, CLASS_RULES), ...hits] : hits;
}
