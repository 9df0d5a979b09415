// Political campaigning: advocacy for or against a candidate, party or ballot measure. The
// existing detector (src/policy/detectors/campaign.ts) handles the explicit forms ("vote no on
// Prop 4", "Re-elect Smith", "#VoteYesOn2B"); it is wrapped, not edited, and this adds what
// residents write around it: electoral threats to an incumbent ("remember this in November"),
// campaign hashtags it does not know (#PellForMayor, #OustOstrander), and disclaimed or
// sneering advocacy ("anyone who votes yes deserves the tax bill", "only an idiot would vote
// yes"). Petitioning the council or mentioning an election is not campaigning, and none of
// these rules fire on "vote" or "election" alone.
import { detectCampaign } from '../../policy/detectors/campaign.js';
import { runRules, spanC, type Context, type Hit, type Rule } from './context.js';

const PARTY = String.raw`(?:democrats?|republicans?|dems|gop|libertarians?|greens?|the (?:left|right))`;

const RULES: Rule[] = [
  { id: 'remember-at-the-polls', re: /\bremember (?:this|that|them|him|her|who voted \w+|their votes?|(?:\w+ ){0,3}?votes?) (?:in|on|at|come) (?:november|the polls|election day|the ballot box|the next election|next election|the primary)\b|\b(?:come|this|next) (?:november|election day)[,.]? (?:vote|remember|send|show)\b/g, needles: ['remember', 'november', 'election day'], confidence: 0.75 },
  { id: 'campaign-hashtag', re: /#(?:Oust|Dump|Recall|Defeat|Unseat|Replace|Beat|Ditch|Boot|Impeach)[A-Z]\w*|#\w+For(?:Mayor|Council|Senate|Congress|Governor|Sheriff|Judge|Commissioner|Ward\d*|District\d*|Clerk|Assembly)\b|#[A-Z][a-z]+(?:20\d\d)\b/g, needles: ['#'], confidence: 0.7, clean: true },
  { id: 'sneers-at-a-vote', re: /\b(?:only (?:an?|some) \w+|no (?:sane|smart|sensible|thinking) person|anyone with (?:a brain|half a brain|sense)|nobody in their right mind) (?:would|will|could) (?:ever )?vote (?:yes|no|for|against)\b/g, needles: ['vote'], confidence: 0.75 },
  { id: 'judges-voters-on-a-side', re: /\b(?:anyone|anybody|everyone|whoever|people|those) (?:who|that) votes? (?:yes|no|for|against)\b[^.!?\n]{0,60}?\b(?:deserves?|is an?|are|should|gets?)\b/g, needles: ['vote'], confidence: 0.75 },
  { id: 'vote-them-out', re: /\bvote out (?:every|all|each|the|these|those|any) (?:\w+ ){0,2}?(?:council ?members?|incumbents?|commissioners?|politicians?|members?|one of them|trustees?)\b/g, needles: ['vote out'], confidence: 0.75 },
  { id: 'recall-effort', re: /\b(?:sign|support|join) (?:the )?recall (?:petition|effort|campaign|drive|of)\b/g, needles: ['recall'], confidence: 0.75 },
  { id: 'party-advocacy', re: new RegExp(String.raw`\b(?:vote|voting) (?:for )?(?:straight[- ]ticket )?${PARTY}\b|\b(?:never|don'?t) vote ${PARTY}\b`, 'g'), needles: ['vote', 'voting'], confidence: 0.75 },
];

// Every finding of the wrapped detector needs one of these words, and it compiles regexes on
// each call, so it only runs when one is present.
const CAMPAIGN_WORDS = /\b(?:vot\w*|elect\w*|re-?elect\w*|(?:yes|no) on|endors\w*|paid for by|pacs?|political|campaign\w*|levy|levies|bond|ballot|measure|proposition|prop|referendum|initiative|amendment|candidat\w*|mayor|council|commission\w*|senat\w*|congress|governor|sheriff|judge|justice|school board|trustee|legislature|state house|president|attorney|clerk|ward \d+|question \d+|issue \d+|(?:ci|lr|li|ca)-\d+|\d{1,3}[a-z])\b|#/;

export function detectPolitical(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  if (!CAMPAIGN_WORDS.test(ctx.f)) return hits;
  // The wrapped detector reads case (names are capitalised), so it gets the clean view.
  for (const m of detectCampaign(ctx.c.length > 50_000 ? ctx.c.slice(0, 50_000) : ctx.c).slice(0, 6)) {
    // "the guy running the No on 4 campaign" names a committee; it urges nothing.
    const before = ctx.c.slice(Math.max(0, m.range[0] - 5), m.range[0]).toLowerCase();
    const after = ctx.c.slice(m.range[1], m.range[1] + 14).toLowerCase();
    const named = /\bthe\s+$/.test(before) && /^\s+(?:campaign|committee|group|folks|people|side|crowd|camp|coalition|pac)\b/.test(after);
    hits.push({ rule: `campaign:${m.reason}${named ? ' (names a committee)' : ''}`, confidence: named ? 0.3 : 0.85, spans: [spanC(ctx, m.range[0], m.range[1])] });
  }
  return hits;
}
