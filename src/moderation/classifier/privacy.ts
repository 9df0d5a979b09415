// Privacy: someone else's personal information. Identity numbers always count; a phone number,
// home address, plate or health detail counts when it belongs to another identifiable person
// ("her number is", "the guy at 2207 Tamarack Dr (Doug Henley)", "Mike Tran. He's HIV positive").
// A resident's own details ("I'm at 512 Fenwick Ave, my number is ...") are theirs to share, and
// a business's phone number is advertising, not privacy.
import { runRules, scan, spanC, type Context, type Hit, type Rule } from './context.js';
import { endOf, startOf } from './normalize.js';
import { fullNames, TITLED_NAME as TITLED } from './people.js';

const PHONE = /(?<![\d-])(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ])?\d{3}[-. ]\d{4}(?![\d-])/g;
const ADDRESS = /\b\d{1,6} (?:[NSEW]\.? )?(?:[A-Z][a-z]+ ){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Way|Blvd|Boulevard|Ct|Court|Pl|Place|Cir|Circle|Ter|Terrace|Pkwy|Trl|Trail|Loop)\b\.?/g;
const THEIR_PHONE = /\b(?:her|his|their|[a-z]+'s) (?:personal |private |home |own )?(?:cell|number|phone|mobile|digits|cell phone|landline)\b|\b(?:call|text|ring) (?:her|him)\b|\b(?:reach|find) (?:her|him) at\b/;
const OWN = /\b(?:my|our) (?:cell|number|phone|mobile|address|house|home|place)\b|\b(?:call|text|reach|contact) (?:me|us)\b|\b(?:i'?m|i am|we'?re|we are|i live|we live) (?:at|on)\b/;
const RESIDENT = /\b(?:lives?|living|stays?|resides?) (?:at|on|over|above)\b|\b(?:the|that|this) (?:guy|lady|woman|man|family|people|dude|kid|neighbou?r|person|couple|folks|tenant|owner) (?:at|from|on|in)\b|\b(?:his|her|their) (?:house|home|place|address|apartment|apt|unit)(?: is)?(?: at| on)?\b|\b(?:he|she|they)(?:'s| is| are) at\b/;
const MEDICAL = /\b(?:adhd|autism|autistic|epilep\w+|seizures|hiv(?: positive|\+)?|aids|cancer|copd|stage \d|chemo(?:therapy)?|dementia|alzheimer'?s|diabet(?:es|ic)|pregnant|miscarriage|stds?|herpes|hepatitis|on oxygen|dialysis|rehab|overdosed|bipolar|schizophreni\w*|suicidal|psychiatric|mental (?:illness|hospital|breakdown)|terminally ill|tested positive|addict(?:ed)?|on methadone)\b/g;
// "Councilman Park's wife", "Officer Daniels": a named person by title, or a named person's family.
const TITLED_NAME = new RegExp(String.raw`${TITLED.source}(?:'s (?:wife|husband|son|daughter|mother|father|mom|dad|kid|kids|partner|brother|sister))?`);
const SUPPORTIVE = /\b(?:get well|welcome back|prayers|praying|congrat\w*|wishing|speedy recovery|rooting for|proud of)\b/;
const PLATE = /\b(?:[Pp]lates?|[Ll]icense|[Tt]ag|PLATE)(?: number| no\.?| #)?[:\s]+(?:is\s+)?([A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,4})\b/g;

const RULES: Rule[] = [
  { id: 'identity-number', re: /\b\d{3}-\d{2}-\d{4}\b|\b(?:ssn|social security(?: number)?|sin)\b\D{0,20}\d{9}\b/gi, needles: ['-', 'ssn', 'social security', 'sin'], confidence: 0.9, clean: true },
  { id: 'shares-their-contact', re: /\bhere(?:'s| is| are) (?:his|her|their|[a-z]+'s|[a-z]+s') (?:home |personal |private )?(?:address|number|phone|cell|email|info|details)\b|\b(?:his|her|their|[\w-]+'s|[a-z]+s') (?:new |home |personal |private |current |real )*(?:address|email|cell|cell number|phone number|number) is\b/g, needles: ['address', 'number', 'phone', 'cell', 'email', 'info', 'details'], confidence: 0.85 },
  { id: 'their-kids-school', re: /\b(?:his|her|their|[\w-]+'s) (?:kids?|children|son|daughter|boy|girl) (?:goes|go|attends?|is at|are at|gets picked up at) (?:to )?(?:\S+ ){0,3}?(?:school|elementary|middle|high|daycare|academy|preschool)\b/g, needles: ['school', 'elementary', 'middle', 'high', 'daycare', 'academy'], confidence: 0.75 },
  { id: 'home-of-a-named-person', re: /\b\d{2,5} [A-Z][a-z]+(?: (?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Blvd))?\.?,? (?:owned by|home of|belongs to|rented by) [A-Z][a-z]+ [A-Z][a-z]+\b/g, needles: ['owned by', 'home of', 'belongs to', 'rented by'], confidence: 0.75, clean: true },
  { id: 'vulnerable-and-alone', re: /\b(?:she|he)(?:'s| is) (?:\d\d|elderly|disabled|blind|deaf|bedridden)\b[^.!?\n]{0,30}\blives? alone\b/g, needles: ['alone'], confidence: 0.45 },
  { id: 'says-where-they-live', re: /\b(?:he|she|they) (?:lives?|stays?|sleeps?) (?:at|on|above|over|behind|next to|across from|in the|in apartment|in unit)\b/g, needles: ['live', 'stay', 'sleep'], confidence: 0.55 },
];

function lower(ctx: Context, from: number, to: number): string {
  return ctx.c.slice(Math.max(0, from), Math.min(ctx.c.length, to)).toLowerCase();
}

export function detectPrivacy(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  const names = fullNames(ctx.original, 0, Math.min(ctx.original.length, 20_000));
  const digits = /\d\d\d/.test(ctx.c);
  for (const m of digits ? scan(PHONE, ctx.c) : []) {
    const before = lower(ctx, m.index - 60, m.index);
    const after = lower(ctx, m.index + m[0].length, m.index + m[0].length + 25);
    if (OWN.test(before.slice(-30)) || OWN.test(after)) continue;
    if (THEIR_PHONE.test(before) || THEIR_PHONE.test(after)) {
      hits.push({ rule: 'someone-elses-phone', confidence: 0.85, spans: [spanC(ctx, m.index, m.index + m[0].length)] });
    }
  }
  for (const m of /\d/.test(ctx.c) ? scan(ADDRESS, ctx.c) : []) {
    const before = lower(ctx, m.index - 50, m.index);
    const after = ctx.c.slice(m.index + m[0].length, m.index + m[0].length + 40);
    if (OWN.test(before.slice(-25))) continue;
    const rawBefore = ctx.c.slice(Math.max(0, m.index - 40), m.index);
    const named = /^\s*[([—–-]?\s*(?:it'?s\s+)?[A-Z][a-z]+ [A-Z][a-z]+/.test(after)
      || /\b[A-Z][a-z]+ [A-Z][a-z]+(?:,|,? (?:at|on|of|lives at|who lives at))\s*$/.test(rawBefore);
    if (RESIDENT.test(before) || named) {
      hits.push({ rule: 'someone-elses-home-address', confidence: 0.8, spans: [spanC(ctx, m.index, m.index + m[0].length)] });
    } else if (names.length > 0) {
      hits.push({ rule: 'address-with-a-name', confidence: 0.4, spans: [spanC(ctx, m.index, m.index + m[0].length)] });
    }
  }
  for (const m of /plate|license|tag/.test(ctx.f) ? scan(PLATE, ctx.c) : []) {
    const token = m[1] ?? '';
    if (!/\d/.test(token) || !/[A-Z]/.test(token)) continue;
    hits.push({ rule: names.length ? 'plate-with-a-name' : 'licence-plate', confidence: names.length ? 0.8 : 0.5, spans: [spanC(ctx, m.index, m.index + m[0].length)] });
  }
  for (const m of scan(MEDICAL, ctx.f)) {
    const from = startOf(ctx.folded, m.index);
    const to = endOf(ctx.folded, m.index + m[0].length - 1);
    const window = ctx.original.slice(Math.max(0, from - 200), from + 60);
    if (SUPPORTIVE.test(window.toLowerCase())) continue;
    const named = fullNames(ctx.original, Math.max(0, from - 200), from + 60);
    const titled = TITLED_NAME.exec(window);
    if (named.length === 0 && !titled) continue;
    const [a, b] = named.length ? named[named.length - 1] : [Math.max(0, from - 200) + (titled?.index ?? 0), Math.max(0, from - 200) + (titled?.index ?? 0) + (titled?.[0].length ?? 0)];
    hits.push({
      rule: 'someone-elses-health', confidence: 0.8,
      spans: [{ start: a, end: b, text: ctx.original.slice(a, b) }, { start: from, end: to, text: ctx.original.slice(from, to) }],
    });
    break;
  }
  return hits;
}
