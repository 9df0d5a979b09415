// Threats: stated intent to hurt a person or damage property, wishes and calls for violence, and
// the veiled forms residents actually write ("watch your back", "would be a shame if something
// happened", "you've been warned", "accidents happen"). A violent verb needs both an intent frame
// ("I'm going to", "someone should") and a person or property as its object, so "the budget
// kills business" and "shooting mortars at 2 AM" are not threats.
import { runRules, type Context, type Hit, type Rule } from './context.js';
import { PERSON_ROLE } from './lexicon.js';
import { hasPersonRef } from './people.js';

const INTENT = String.raw`(?:i'?m|i am|we'?re|we are|i'?ll|i will|we'?ll|we will|i'?d|i would|i could|(?:someone|somebody) (?:should|needs to|ought to|oughta|has to)|let'?s|i want to|i swear)`;
// Only auxiliaries and adverbs may stand between the intent and the verb: "I'm worried this will
// hurt the kids" is a complaint, "I'm going to personally hurt him" is not.
const GAP = String.raw`(?:(?:going to|gonna|about to|really|just|personally|definitely|totally|literally|fucking|gladly|happily|go|come|down|there|and|to) ){0,3}`;
const VIOLENT = String.raw`(?:kill(?:s|ed|ing)?|shoot(?:s|ing)?|stab(?:s|bed|bing)?|murder(?:s|ed|ing)?|strangl\w*|chok(?:e|es|ed|ing)|beat(?:s|ing)? (?:(?:him|her|them|you) )?(?:up|senseless|bloody|to death|the (?:\w+ )?out of)|punch\w*|hurt(?:s|ing)?|slash\w*|torch\w*|burn\w* (?:\S+ ){0,4}?(?:down|to the ground)|set fire to|firebomb\w*|smash\w*|bomb\w*|blow(?:ing)? up|run(?:ning)? over|hang(?:ing)?|lynch\w*|knif(?:e|ing)|poison(?:s|ing)?|pistol[- ]whip\w*|slap\w*|break(?:ing)?|key(?:ing)?|egg(?:ing)?|snap(?:ping)?|bash\w*|run (?:him|her|them|you) (?:over|off the road)|teach (?:\S+ ){1,4}?a lesson|put (?:a bullet|a round|one) (?:in|through)|put (?:him|her|them|you|that \w+|the \w+|this \w+) in the (?:hospital|ground|morgue|er))`;
const PROPERTY = String.raw`(?:cars?|trucks?|tires?|houses?|homes?|windows?|offices?|building|city hall|stage|doors?|property|kids?|family|dogs?|face|legs?|neck|head|skull|teeth)`;
const OBJECT = String.raw`(?:you|ya|u|him|her|them|y'?all|every (?:one|single one|last one) of (?:you|them)|(?:your|his|her|their|every|each|the|that|those|this|every single) (?:\S+ ){0,2}?(?:${PROPERTY}|${PERSON_ROLE})(?!'|\w)|(?:the|your|his|her) (?:\S+ ){0,2}?${PERSON_ROLE}'s (?:${PROPERTY}|coffee|food|drink|water|wife|husband)|@\w+)`;
const WEAPON = String.raw`(?:guns?|rifles?|shotguns?|pistols?|glock|ar-?15|bombs?|knife|knives|machete|molotov)`;

const RULES: Rule[] = [
  { id: 'violent-intent', re: new RegExp(String.raw`\b${INTENT} ${GAP}${VIOLENT} (?:\w+ ){0,1}?${OBJECT}\b`, 'g'), needles: ['kill', 'shoot', 'stab', 'murder', 'strangl', 'chok', 'beat', 'punch', 'hurt', 'slash', 'torch', 'burn', 'set fire', 'firebomb', 'smash', 'bomb', 'blow', 'run', 'hang', 'lynch', 'knif', 'poison', 'whip', 'slap', 'break', 'key', 'egg', 'snap', 'bash', 'teach', 'put'], confidence: 0.85 },
  { id: 'burn-it-down', re: new RegExp(String.raw`\b${INTENT} ${GAP}(?:burn|torch)\w* (?:the|your|his|her|their|that|this|every) (?:\S+ ){0,3}?(?:${PROPERTY}|center|hall|station|library|pool|school|office|place) (?:down|to the ground)\b`, 'g'), needles: ['burn', 'torch'], confidence: 0.8 },
  { id: 'deserves-violence', re: /\b(?:deserves?|ought|needs?) to (?:die|be (?:shot|hanged|hung|killed|beaten|strung up|lynched|put down|taken out))\b|\bshould (?:all )?be (?:\S+ ){0,6}?(?:shot|hanged|hung|killed|beaten|strung up|lynched|executed|tarred and feathered|dragged (?:out|into the street))\b/g, needles: ['deserve', 'ought', 'need', 'should'], confidence: 0.8 },
  { id: 'none-of-you-get-home', re: /\bmake sure (?:\w+ ){0,3}?(?:never|don'?t|doesn'?t|won'?t|none of (?:you|them)) (?:\w+ ){0,2}?(?:gets?|makes? it|walks?|sees?|wakes? up) (?:home|again|tomorrow|safe)\b/g, needles: ['make sure'], confidence: 0.8 },
  { id: 'see-what-happens', re: /\b(?:and|then) see what happens\b|\bsee what happens (?:to|when|if)\b/g, needles: ['see what happens'], confidence: 0.55 },
  { id: 'sleep-with-one-eye-open', re: /\bsleep with one eye open\b|\bwatch yourselves?\b|\blooking over (?:your|his|her) shoulder\b/g, needles: ['one eye open', 'watch yourself', 'watch yourselves', 'shoulder'], confidence: 0.6 },
  { id: 'armed-and-coming', re: new RegExp(String.raw`\b(?:going to|gonna|will|'ll|about to|should) (?:\S+ ){0,8}?(?:with|bring(?:ing)?|grab(?:bing)?) (?:a|my|his|her|their|some) ${WEAPON}\b`, 'g'), needles: ['gun', 'rifle', 'pistol', 'glock', 'ar-15', 'ar15', 'bomb', 'knife', 'knives', 'machete', 'molotov'], confidence: 0.75 },
  { id: 'has-a-weapon', re: new RegExp(String.raw`\bi(?:'ve| have)? got (?:a|my|an) ${WEAPON}\b|\bmy ${WEAPON} is loaded\b|\blocked and loaded\b`, 'g'), needles: ['gun', 'rifle', 'pistol', 'glock', 'ar-15', 'ar15', 'bomb', 'knife', 'knives', 'machete', 'molotov', 'locked and loaded'], confidence: 0.5 },
  { id: 'wishes-harm', re: new RegExp(String.raw`\b(?:[Hh]ope|[Ww]ish|[Pp]ray) (?:that )?(?:(?:you|he|she|they|the (?:\w+ )?${PERSON_ROLE}) (?:\w+ )?(?:die|dies|gets? (?:shot|hit|hurt|killed|run over|cancer|stabbed|beaten)|rots?|burns? (?:alive|in hell))|[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:\w+ )?gets? (?:shot|hit by a (?:bus|car|truck)|hurt|killed|run over|cancer|stabbed|beaten))\b`, 'g'), needles: ['hope', 'wish', 'pray'], confidence: 0.75, clean: true },
  { id: 'i-will-find-you', re: /\bi(?:'ll| will| am going to|'m going to|'m gonna) (?:find|hunt down|track down|come for|come after) (?:you|him|her|them)\b/g, needles: ['find', 'hunt', 'track', 'come for', 'come after'], confidence: 0.65 },
  { id: 'better-hope', re: /\bbetter hope (?:i|we) (?:don'?t|never) (?:see|run into|catch|find|meet)\b|\bsee (?:you|them|him|her) in the parking lot\b/g, needles: ['better hope', 'parking lot'], confidence: 0.7 },
  { id: 'put-them-down', re: new RegExp(String.raw`\bput (?:the (?:\S+ )?${PERSON_ROLE}|him|her|them) down like\b|\b(?:take|put) (?:him|her|them|the (?:\S+ )?${PERSON_ROLE}) (?:out|down) (?:for good|permanently|like a dog)\b`, 'g'), needles: ['put', 'take'], confidence: 0.75 },
  { id: 'kill-yourself', re: /\b(?:kill yourself|kys)\b/g, needles: ['kill yourself', 'kys'], confidence: 0.85 },
  { id: 'watch-your-back', re: /\b(?:watch|mind) your (?:backs?|cars?|house|home|kids|family|wife|husband|children)\b/g, needles: ['your'], confidence: 0.7 },
  { id: 'shame-if-something-happened', re: /\bshame if (?:something|anything|someone) (?:were to |was to )?(?:happen|happened|happens|bad)\b/g, needles: ['shame if'], confidence: 0.8 },
  { id: 'shame-if-you', re: /\bbe a (?:real |damn |crying )?shame if (?:you|he|she|they|your|his|her)\b/g, needles: ['shame if'], confidence: 0.5 },
  { id: 'make-them-regret', re: /\b(?:make sure|ensure|see to it that) (?:\w+ ){0,3}?(?:regrets?|pays?|is sorry|are sorry)\b|\bmake (?:you|him|her|them) (?:pay|regret|sorry)\b/g, needles: ['make sure', 'ensure', 'see to it', 'make you', 'make him', 'make her', 'make them'], confidence: 0.75 },
  { id: 'will-regret', re: /\b(?:you'?ll|you will|he'?ll|she'?ll|they'?ll) (?:live to )?regret (?:it|this|that)\b/g, needles: ['regret'], confidence: 0.45 },
  { id: 'warned', re: /\b(?:you'?ve|you have|you been|consider yourselves?|y'?all been) (?:been )?warned\b|\bconsider this (?:your|a) (?:final |last |only |first )?warning\b|\bthis is your (?:final |last |only )?warning\b|\bdon'?t say (?:i|we) didn'?t warn you\b/g, needles: ['warn'], confidence: 0.7 },
  { id: 'going-to-pay', re: /\b(?:someone|somebody|you|he|she|heads|whoever \w+(?: \w+)?) (?:at \w+(?: \w+)? )?(?:is|are|will|'?s|'?re|'?ll)? ?(?:going to|gonna|will) pay (?:for (?:it|this|that) )?(?:personally|dearly|with)\b|\bpay for (?:it|this|that) personally\b|\bheads (?:will|are going to|gonna) roll\b/g, needles: ['pay', 'roll'], confidence: 0.75 },
  { id: 'i-know-who-where', re: /\b(?:i|we|people|everyone|we all) (?:know|knows) (?:exactly )?(?:which one of you|who you are|where (?:\S+ ){1,4}?(?:live|lives|work|works|park|parks|sleep|sleeps))\b/g, needles: ['know'], confidence: 0.7 },
  { id: 'seen-your-family', re: /\bi(?:'ve| have)? seen your (?:kids|children|wife|husband|family|daughter|son|house)\b/g, needles: ['seen your'], confidence: 0.7 },
  { id: 'not-slowing-down', re: /\bnot (?:slowing down|stopping|braking|swerving) for (?:any (?:of )?)?(?:them|you|cyclists|bikers|bikes|pedestrians|kids|walkers|those)\b/g, needles: ['slowing', 'stopping', 'braking', 'swerving'], confidence: 0.65 },
  { id: 'accidents-happen', re: /\baccidents (?:happen|can happen|will happen)\b/g, needles: ['accidents'], confidence: 0.45 },
  { id: 'better-watch-out', re: /\b(?:better|should) watch out\b|\bbetter watch (?:it|yourselves?)\b/g, needles: ['watch'], confidence: 0.45 },
  { id: 'harm-at-city-hall', re: /\b(?:somebody|someone|people|heads) (?:at|in|from) (?:city hall|the council|that office|this office|public works|the \w+ (?:department|office)) (?:is|are|will be|'s|'re) (?:getting|going to get|gonna get|get) (?:hurt|shot|killed|what'?s coming)\b/g, needles: ['hurt', 'shot', 'killed', 'coming'], confidence: 0.75 },
  { id: 'would-not-mind-the-harm', re: /\b(?:get|gets|getting|got) (?:run over|shot|hurt|killed|beaten|stabbed)\b[^.!?\n]{0,60}\b(?:i won'?t be sorry|i wouldn'?t (?:cry|mind|be sad)|deserves? it|had it coming|have it coming)\b|\b(?:and )?anyone who tries to stop me\b/g, needles: ['sorry', 'cry', 'mind', 'sad', 'deserve', 'coming', 'stop me'], confidence: 0.7 },
  { id: 'or-else', re: /\b(?:one more time|again|or else|and see)\b[^.!?\n]{0,60}\b(?:your \w+ (?:won'?t|will not) (?:make it|survive|last|be there|be standing)|you'?ll be sorry|you will be sorry|you'?ll regret|you won'?t like what happens)\b|\ba lesson (?:they|he|she|you)(?:'ll| will)? (?:never|won'?t|will not) forget\b/g, needles: ['make it', 'survive', 'last', 'be there', 'standing', 'sorry', 'regret', 'like what happens', 'forget'], confidence: 0.7 },
  { id: 'arson-hint', re: /\b(?:gas(?:oline)?|lighter fluid|kerosene) and a match\b|\ba match and (?:some )?gas(?:oline)?\b|\bburn (?:it|them|him|her) out\b/g, needles: ['match', 'burn'], confidence: 0.75 },
  { id: 'harm-as-consequence', re: /\bsee how safe (?:you|they|he|she|your \w+) (?:feel|are|is)\b|\b(?:(?:the next|that|this|any) (?:\S+ ){0,3}?(?:who|that) [^.!?\n]{0,40}?|you'?ll |you will |(?:he|she)'?ll )(?:is going to |will |gonna )?end up (?:in|at|on) (?:the )?(?:river|hospital|ground|ditch|morgue|er|grave|bottom of \w+)\b|\banswer to me(?: personally)?\b|\bbe the ones? needing (?:a rescue|help|an ambulance|a doctor|rescuing)\b|\bi know (?:what|which) (?:car |truck )?(?:he|she|you|they) drives?\b|\b(?:sleep|swimming|swim) with the fish(?:es)?\b|\bsix feet under\b|\bbody bags?\b|\bthere (?:will be|'?ll be) (?:blood|hell to pay)\b/g, needles: ['safe', 'end up', 'answer to me', 'needing', 'drive', 'fish', 'six feet', 'body bag', 'blood', 'hell to pay'], confidence: 0.65 },
  { id: 'coming-for-you', re: /\b(?:get|gets|got|getting) what'?s coming\b|\bwe(?:'re| are) coming for (?:you|him|her|them)\b|\bsee you (?:in the parking lot|outside|after the meeting)\b/g, needles: ['coming', 'see you'], confidence: 0.6 },
  { id: 'second-amendment', re: /\bsecond amendment (?:remedies|remedy|solution)\b|\b2a (?:remedies|solution)\b|\block and load\b|\bbullet (?:with|for) (?:your|his|her) name\b/g, needles: ['amendment', '2a', 'lock and load', 'bullet'], confidence: 0.75 },
  { id: 'rape-threat', re: /\b(?:i'?ll|i will|gonna|going to|should|deserves? to) (?:get )?rape/g, needles: ['rape'], confidence: 0.85 },
];

const POINTER = new RegExp(String.raw`\b(?:you|him|her|${PERSON_ROLE})\b`);

export function detectThreat(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  // "I've got a rifle and a lot of free time, Reyes": a weapon mentioned at someone.
  const weapon = hits.find((h) => h.rule === 'has-a-weapon');
  if (weapon && (POINTER.test(ctx.f) || hasPersonRef(ctx, 0, ctx.f.length))) {
    hits.push({ rule: 'weapon-aimed-at-someone', confidence: 0.75, spans: weapon.spans });
  }
  return hits;
}
