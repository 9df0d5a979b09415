// Public safety: content that endangers the public or the city's ability to protect it —
// publishing access codes and passwords, advertising security gaps at police, water, traffic or
// emergency facilities, telling people where officers are deployed, and false or dangerous
// emergency advice ("the advisory is a hoax, drink it", "don't call 911", "mix bleach and
// ammonia"). Reporting a broken thing so the city fixes it is a lawful service request, so a
// gap at an ordinary door needs an exploitation cue ("anyone could", "you can open one up") and
// "please fix" weakens the finding.
import { runRules, scan, sentenceAt, spanC, spanF, type Context, type Hit, type Rule } from './context.js';

const CREDENTIAL = /\b(?:password|passcode|pass code|passwd|door code|gate code|keypad|lock ?box|padlock|combo|combination|access code|alarm code|pin(?: code| number)?)\b[^.?\n]{0,60}?(?:\bis\b|\bof\b|:|=)\s*['"]?([A-Za-z0-9][\w!@#$%^&*-]{2,})/gi;
const CRITICAL = /\b(?:evidence room|substation|police station|station|precinct|dispatch|911|pump ?house|treatment plant|water plant|reservoir|plant|water tower|valve|vault|well ?house|lift station|power|electrical|transformer|traffic (?:signal|light) (?:cabinet|box|controller)s?|signal cabinets?|control (?:box|panel|room)|server room|network|wi-?fi|city hall|jail|armory|armoury|courthouse|school|fire station|hydrant|annex|generator|sirens?|backup|public works|city yard|depot|fleet|motor pool|maintenance facility)\b/;
const GAP = /\b(?:cut open|hole in the fence|fence is (?:down|broken|cut)|broken (?:fence|gate|door)|unlocked|doesn'?t (?:latch|lock|close)|won'?t (?:latch|lock|close)|propped open|left open|no lock|lock is broken|broken lock|never locked|isn'?t locked|not locked|no one guards|unguarded)\b/g;
// An outage is news residents may share; it becomes a safety problem only with a how-to-exploit
// framing ("one more outage and dispatch goes dark").
const OUTAGE = /\b(?:(?:is|are|has been|have been) (?:dead|down|broken|offline|out) (?:since|for)|running on (?:one|a single|backup)|(?:goes|go|went) dark)\b/g;
const EXPLOIT = /\b(?:anyone (?:could|can)|you can (?:open|get|walk|change|shut|turn)|easy to (?:open|get in|break)|nobody (?:checks|watches|guards)|one more \w+ and|goes dark|shut off|change the|open (?:one|it) up|for months|psa|fyi|heads up|fun fact|free (?:internet|wifi|access))\b/;
const FIX_REQUEST = /\b(?:please (?:fix|repair|lock|send|check)|(?:needs?|need) to be (?:fixed|repaired|locked)|someone should (?:fix|lock|repair)|fix (?:it|this|that)|i reported|reported it)\b/;

const RULES: Rule[] = [
  { id: 'false-emergency-advice', re: /(?:^|[.!?,:;]\s*|\bjust |\bso )(?:don'?t|do not|no need to|never) (?:bother )?(?:call(?:ing)? 911|evacuat\w*|boil(?:ing)? (?:it|the water|your water)|shelter in place)\b|\bignore the (?:boil|evacuation|advisory|alert|warning|smoke|air quality)\b(?: \w+)?|\bdrink (?:it|the water|tap water) anyway\b/g, needles: ['911', 'evacuat', 'boil', 'shelter in place', 'ignore the', 'anyway'], confidence: 0.75 },
  { id: 'calls-the-alert-a-hoax', re: /\b(?:advisory|warning|alert|notice|order|evacuation(?: order)?|boil (?:order|notice|advisory)|outbreak|smoke|recall) (?:is|was|are) (?:a |just a |all )?(?:hoax|fake|made up|lie|scam|nothing)\b/g, needles: ['hoax', 'fake', 'made up', 'lie', 'scam', 'nothing'], confidence: 0.65 },
  { id: 'alarming-falsehood', re: /\b(?:water|air|supply|reservoir) (?:is|has been|was) (?:poisoned|deliberately contaminated)\b/g, needles: ['poisoned', 'contaminated'], confidence: 0.55 },
  { id: 'downplays-the-hazard', re: /\b(?:spray|smoke|water|tap water|brown water|chemicals?|fumes|air|pesticides?|flood ?water|ice) (?:is|are) (?:totally |completely |perfectly |100% |actually )?(?:harmless|safe|fine|ok|okay)(?: to (?:drink|breathe|swim in|walk on))?\b/g, needles: ['harmless', 'safe', 'fine', 'ok'], confidence: 0.4 },
  { id: 'contradicts-the-warning', re: /\b(?:the city|they|officials) (?:just )?(?:says?|said) (?:that|so) to (?:cover|protect)\b|\blet (?:your|the) kids (?:play|drink|swim|run) in it\b|\bdrink (?:it|up)\b|\b(?:ignore|don'?t listen to) the (?:city|warning|notice|advisory)\b|\boverblown\b|\bdon'?t bother (?:with|boiling|evacuating|buying) (?:the )?(?:filters?|boiling|masks?|evacuat\w*|sandbags|water|it)\b/g, needles: ['cover', 'protect', 'let ', 'drink', 'ignore', 'listen', 'overblown', 'bother'], confidence: 0.35 },
  { id: 'dangerous-advice', re: /\bmix (?:bleach|ammonia) (?:and|with) (?:ammonia|bleach|vinegar)\b|\b(?:drive|walk|wade) (?:right )?through (?:the )?flood(?:ed|water|waters)?\b(?! is)|\b(?:use|run) (?:a |your )?(?:generator|grill|charcoal) (?:inside|indoors)\b/g, needles: ['bleach', 'ammonia', 'flood', 'generator', 'grill', 'charcoal'], confidence: 0.7 },
  { id: 'touch-the-power-lines', re: /\b(?:downed|fallen) (?:power )?lines?\b[^.!?\n]{0,40}\b(?:aren'?t|are not|isn'?t|is not) (?:live|dangerous|energi[sz]ed)\b|\b(?:move|touch|pick up|drag) (?:the |those |that )?(?:downed |fallen )?power lines?\b|\b(?:hook|plug|wire|connect|backfeed) (?:\S+ ){0,3}?generator (?:\S+ ){0,3}?(?:into|to) (?:your |the )?(?:panel|outlet|wall|wiring|breaker box|dryer outlet)\b/g, needles: ['line', 'generator'], confidence: 0.75 },
  { id: 'disable-the-alarms', re: /\b(?:disable|unplug|rip out) (?:your |the |their )?(?:smoke|co|carbon monoxide|fire) (?:detectors?|alarms?)\b/g, needles: ['detector', 'alarm'], confidence: 0.7 },
  { id: 'scorns-the-alarms', re: /\b(?:smoke|co|carbon monoxide) (?:detectors?|alarms?) are (?:a scam|useless|pointless|a joke|a waste)\b/g, needles: ['detector', 'alarm'], confidence: 0.5 },
  { id: 'pull-the-batteries', re: /\btake (?:the )?batter(?:y|ies) out\b/g, needles: ['batter'], confidence: 0.35 },
  { id: 'where-the-keys-are', re: /\b(?:keys?|key card|badge|fob|spare key)s? (?:\w+ ){0,2}?(?:are|is) (?:kept|hidden|left|stored|hanging) (?:under|in|behind|on top of|above|inside)\b/g, needles: ['key', 'badge', 'fob'], confidence: 0.7 },
  { id: 'officer-deployment', re: /\b(?:cops|officers|police|deputies|patrol|checkpoint|speed trap)s? (?:doing \w+ (?:\w+ )?)?(?:\w+ ){0,3}?(?:will be|are|is) (?:parked|sitting|set up|stationed|hiding|posted|waiting) (?:at|behind|on|near|by)\b|\b(?:switch|change|swap) shifts? at\b|\bwindow (?:with|where|when) (?:nobody|no one|no cops|no officers)\b/g, needles: ['cop', 'officer', 'police', 'deput', 'patrol', 'checkpoint', 'speed trap', 'shift', 'window'], confidence: 0.65 },
];

// Where officers will be is operational only with a when ("tonight from 9-11") or a way round
// ("go around them"); "officers park at the school every morning" is a resident's complaint.
const OPERATION = /\b(?:tonight|right now|this (?:weekend|evening|morning|afternoon)|from \d|between \d|until \d|till \d|at \d{1,2}(?::\d\d)? ?(?:am|pm)?\b|go around|avoid|window|switch shifts?)/;

export function detectSafety(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  const deployment = hits.find((h) => h.rule === 'officer-deployment');
  if (deployment && !OPERATION.test(ctx.f)) deployment.confidence = 0.4;
  const credentialWord = /pass|code|keypad|lock|combo|combination|pin/.test(ctx.f);
  for (const m of credentialWord ? scan(CREDENTIAL, ctx.c, 3) : []) {
    const secret = m[1] ?? '';
    if (!/\d/.test(secret) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(secret)) continue;
    hits.push({ rule: 'publishes-access-code', confidence: 0.8, spans: [spanC(ctx, m.index, m.index + m[0].length)] });
    break;
  }
  for (const m of /lock|latch|close|propped|open|guard|fence|gate|door/.test(ctx.f) ? scan(GAP, ctx.f, 3) : []) {
    const [s, e] = sentenceAt(ctx.f, m.index);
    const around = ctx.f.slice(Math.max(0, s - 200), Math.min(ctx.f.length, e + 200));
    const critical = CRITICAL.test(around);
    const exploit = EXPLOIT.test(around);
    if (!critical && !exploit) continue;
    let confidence = critical && exploit ? 0.8 : critical ? 0.6 : 0.45;
    if (FIX_REQUEST.test(around)) confidence -= 0.25;
    hits.push({ rule: critical ? 'security-gap-at-critical-site' : 'security-gap', confidence, spans: [spanF(ctx, m.index, m.index + m[0].length)] });
    break;
  }
  for (const m of /dead|down|broken|offline|out|running on|dark/.test(ctx.f) ? scan(OUTAGE, ctx.f, 3) : []) {
    const [s, e] = sentenceAt(ctx.f, m.index);
    const around = ctx.f.slice(Math.max(0, s - 200), Math.min(ctx.f.length, e + 200));
    if (!CRITICAL.test(around) || !EXPLOIT.test(around) || FIX_REQUEST.test(around)) continue;
    hits.push({ rule: 'exploitable-outage', confidence: 0.75, spans: [spanF(ctx, m.index, m.index + m[0].length)] });
    break;
  }
  return hits;
}
