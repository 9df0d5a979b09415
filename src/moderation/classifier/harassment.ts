// Harassment: singling one person out for sustained unwanted attention (tagging, filming,
// following "every day until he quits"), sending others after them ("go tell him what you think
// in person", "let's all set up outside her place"), surveillance ("I know where you live").
// Persistence aimed at the city itself is petitioning, so the rules need a singular person
// ("him", "her", "you", an @handle) or a home, never "them" at a council meeting. Sexual remarks
// aimed at one identifiable person are added in index.ts, where the sexual verdict is known.
import { runRules, scan, sentenceAt, spanF, type Context, type Hit, type Rule } from './context.js';
import { PERSON_ROLE as ROLE } from './lexicon.js';

// Acts aimed at one person. Surveillance counts against anyone, "you" included; messages and tags
// only against a third person or a handle, since "I'll email you every day until you fix it" is
// a resident petitioning the city.
const TARGET_ACT = new RegExp(String.raw`\b(?:wait(?:ing)? (?:\S+ ){0,5}?for (?:him|her|the (?:\S+ )?${ROLE}(?!s|'))|(?:film(?:ing)?|record(?:ing)?|follow(?:ing)?|photograph(?:ing)?|track(?:ing)?|stalk(?:ing)?|watch(?:ing)?|show(?:ing)? up at|wait(?:ing)? outside|park(?:ed|ing)? outside|sit(?:ting)? outside|leave) (?:\w+ ){0,3}?(?:you|him|her|@\w+|every (?:single )?thing (?:you|he|she)|the (?:\S+ ){0,3}?(?:girl|guy|lady|woman|man|kid|${ROLE}))|(?:tag(?:ging)?|messag(?:e|ing)|dm(?:ing)?|spam(?:ming)?|post(?:ing)? (?:about|when|where|it|every)|comment(?:ing)? on|reply(?:ing)? to|email(?:ing)?|call(?:ing)?|text(?:ing)?) (?:\w+ ){0,3}?(?:him|her|@\w+|every (?:single )?(?:post|comment|video|photo) (?:he|she)|the (?:new |same )?${ROLE}(?!s|')))\b`, 'g');
const SUSTAINED = /\b(?:(?:on |at )?every (?:single )?(?:post|day|morning|night|evening|shift(?: change)?|time (?:you|he|she)|week|meeting|concert|game|event|class|service|one of (?:his|her|your) \w+|thing (?:you|he|she))|(?:on |at )?every (?:hour|minute|afternoon|evening|night)|all (?:week|day|night|month)|day \d+|24\/7|non-?stop|around the clock|until (?:you|he|she|they|@\w+) (?:quits?|resigns?|answers?|responds?|moves?|leaves?|gives? up|apologi[sz]es|fix(?:es)?|steps? down|is gone|blocks? me|deletes? (?:it|his|her)))\b/g;

const RULES: Rule[] = [
  { id: 'until-they-give-in', re: /\buntil (?:you|he|she|@\w+) (?:quits?|resigns?|moves? (?:out|away)|leaves? (?:town|the city)|answers?|responds?|gives? up|steps? down|blocks? me|deletes? (?:it|his|her))\b/g, needles: ['until'], confidence: 0.5 },
  { id: 'cant-block-me', re: /\byou can'?t (?:block|ban|mute|ignore|hide from) me\b/g, needles: ['block me', 'ban me', 'mute me', 'ignore me', 'hide from me'], confidence: 0.6 },
  { id: 'send-others-to-confront', re: /\b(?:go|let'?s(?: all)?|everyone should|everybody|you should|y'?all|(?:if )?anyone(?: who)?|if you) (?:\w+ ){0,3}?(?:tell|let|show|give) (?:him|her) (?:know )?(?:what (?:you|we|they) think|how (?:you|we|they) feel|a piece of)/g, needles: ['what you think', 'what we think', 'what they think', 'how you feel', 'how we feel', 'how they feel', 'a piece of'], confidence: 0.7 },
  { id: 'go-visit-them', re: /\bgo (?:say hi|say hello|pay (?:him|her) a visit|knock on (?:his|her) door|visit (?:him|her)|introduce yourselves?)\b/g, needles: ['say hi', 'say hello', 'a visit', 'knock on', 'visit him', 'visit her', 'introduce your'], confidence: 0.6 },
  { id: 'followed-them-home', re: /\bfollow(?:ed|ing)? (?:him|her|the (?:\S+ ){0,3}?(?:lady|guy|woman|man|officer|clerk|inspector|driver|worker|director)) (?:all the way |back )?(?:home|to (?:his|her) (?:car|house|home|door|truck|apartment))\b|\b(?:i'?ll|i will|we'?ll|i'?m going to) be (?:outside|at|parked outside|waiting outside) (?:his|her) (?:place|house|home|door|work|office)\b/g, needles: ['home', ' be ', 'to his', 'to her'], confidence: 0.75 },
  { id: 'threatens-to-expose', re: /\b(?:find out|dig up|dig into|post|publish|expose|share) (?:\S+ ){0,2}?(?:everything|all|every detail) (?:about|on) (?:you|him|her|them)\b|\b(?:post|publish|share) (?:his|her|their) (?:home )?(?:address|info|information|kids'? names|phone number)\b/g, needles: ['everything', 'all ', 'every detail', 'address', 'info', 'names', 'phone number'], confidence: 0.75 },
  { id: 'call-them-at-home', re: /\b(?:call|visit|text) (?!me\b|us\b)(?:\S+ ){0,3}?at (?:his|her|their)? ?home\b|\bnumber'?s? (?:is )?in the phone ?book\b/g, needles: ['home', 'phone book', 'phonebook'], confidence: 0.45 },
  { id: 'knows-their-routine', re: /\bi know (?:your|his|her) (?:schedule|routine|shifts?|car|address|hours|daily walk)\b|\bi know (?:which|what) (?:car|house|truck|apartment|door) is (?:his|hers|yours)\b/g, needles: ['i know'], confidence: 0.65 },
  { id: 'review-bombing', re: /\b(?:leave|post|write) (?:\S+ ){0,2}?(?:one-star|1-star|bad|fake|negative) reviews\b|\bmake (?:him|her|them) (?:feel it|pay|regret)\b/g, needles: ['reviews', 'feel it', 'make him', 'make her', 'make them'], confidence: 0.5 },
  { id: 'go-confront-them', re: /\b(?:who wants to|let'?s|we should|everyone|y'?all) (?:go )?(?:have a (?:little )?(?:chat|talk|word)|pay (?:him|her) a (?:little )?visit|visit (?:him|her)|go see (?:him|her)|knock on (?:his|her) door)\b/g, needles: ['chat', 'talk', 'word', 'visit', 'go see', 'knock on'], confidence: 0.65 },
  { id: 'keeps-at-them-until', re: /\b(?:keep|won'?t stop|not going to stop) (?:posting|messaging|tagging|calling|commenting|texting|dming)(?: \w+){0,3}? until (?:you|he|she)\b|\banswer me\b/g, needles: ['until', 'answer me'], confidence: 0.45 },
  { id: 'flood-them', re: /\bflood (?:it|his \w+|her \w+|the \w+) with (?:comments|messages|calls|emails|complaints)\b|\bflood (?:\S+ ){0,4}?(?:phone|inbox|email|dms|voicemail|line|page|account)\b/g, needles: ['flood'], confidence: 0.65 },
  { id: 'targets-their-family', re: /\bfind out (?:what|which) school\b|\b(?:what|which) school (?:his|her|the \S+) (?:kids|children|son|daughter) (?:go|goes)\b/g, needles: ['school'], confidence: 0.75 },
  { id: 'gather-at-their-home', re: /\blet'?s (?:all )?(?:\w+ ){0,8}?(?:outside|at|near|in front of|on) (?:his|her|the (?:\S+ ){0,2}?\S+'s) (?:place|house|home|door|driveway|work|office|lawn|yard|street)\b|\b(?:show|turn) up (?:\w+ )?at (?:his|her|the \S+'s|[a-z]+'s) (?:house|home|door|place|front door|front yard)\b|\bpay (?:him|her) a (?:little )?visit\b/g, needles: ['let', 'show up', 'turn up', 'visit'], confidence: 0.8 },
  { id: 'find-where-they-live', re: /\bfind out where (?:\w+ ){0,3}?(?:lives?|parks?|works?|sleeps?|goes to school)\b|\bfind (?:\S+'s|his|her|their) (?:home )?address\b/g, needles: ['find out where', 'address'], confidence: 0.75 },
  { id: 'leave-them-messages', re: /\bleave (?:him|her) (?:\w+ ){0,2}?['"]?(?:messages|notes|surprises|presents)\b/g, needles: ['leave'], confidence: 0.6 },
  { id: 'surveillance', re: /\b(?:filming|following|watching|recording|photographing|tracking|stalking) (?:him|her|you)\b|\bi'?ll be watching (?:you|him|her)\b/g, needles: ['filming', 'following', 'watching', 'recording', 'photographing', 'tracking', 'stalking'], confidence: 0.5 },
  { id: 'i-know-where-you-live', re: /\bi know where (?:you|he|she|they) (?:live|lives|work|works|park|parks|sleep|sleeps)\b/g, needles: ['know where'], confidence: 0.75 },
  { id: 'seen-your-family', re: /\bi(?:'ve| have)? seen your (?:kids|children|wife|husband|family|daughter|son)\b/g, needles: ['seen your'], confidence: 0.65 },
  { id: 'kill-yourself', re: /\b(?:kill yourself|kys|go die)\b/g, needles: ['kill yourself', 'kys', 'go die'], confidence: 0.85 },
  { id: 'flood-their-phone', re: /\b(?:flood|blow up|spam) (?:his|her) (?:inbox|phone|dms?|email|voicemail)\b|\b(?:everyone|everybody|y'?all) (?:call|text|email|message) (?:him|her)\b/g, needles: ['flood', 'blow up', 'spam', 'everyone', 'everybody', "y'all", 'yall'], confidence: 0.7 },
];

// "Janice. Janice. JANICE.": one name shouted again and again.
function repeatedName(ctx: Context): Hit | null {
  if (ctx.c.length > 600) return null;
  const counts = new Map<string, number>();
  for (const m of ctx.c.matchAll(/(?:^|[\s.!?,])@?([A-Z][A-Za-z]{2,})\b/g)) {
    const key = (m[1] ?? '').toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [name, n] of counts) {
    if (n >= 3 && !/^(?:the|this|that|and|you|why|what|how|fix|stop|no|yes|please|city|council)$/.test(name)) {
      const at = ctx.f.indexOf(name);
      return { rule: 'repeats-a-name', confidence: 0.45, spans: at >= 0 ? [spanF(ctx, at, at + name.length)] : [] };
    }
  }
  return null;
}

export function detectHarassment(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  const repeated = repeatedName(ctx);
  if (repeated) hits.push(repeated);
  // Sustained targeting: an act aimed at one person and a "every day" / "until he quits" frame in
  // the same sentence.
  const framed = /every|all (?:week|day|night|month)|day \d|24\/7|non-?stop|around the clock|until/.test(ctx.f);
  for (const act of framed ? scan(TARGET_ACT, ctx.f) : []) {
    const [s, e] = sentenceAt(ctx.f, act.index);
    const sentence = ctx.f.slice(s, e);
    const frame = scan(SUSTAINED, sentence, 1)[0];
    if (!frame) continue;
    hits.push({
      rule: 'sustained-targeting', confidence: 0.8,
      spans: [spanF(ctx, act.index, act.index + act[0].length), spanF(ctx, s + frame.index, s + frame.index + frame[0].length)],
    });
    break;
  }
  return hits;
}
