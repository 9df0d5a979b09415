// Personal or political opinion and inflammatory language in a city post (RL-7, KA-9, LX-6,
// MN-6). These need the approver's acknowledgement rather than blocking: "I think" may be a quoted
// resident, "ridiculous" may describe weather, and only a person can tell. The lists are short
// and curated on purpose; a long list would flag every other post and teach staff to click past.
import { cite, policyNote, RULES, type Citation } from './citations.js';
import { allMatches, capitalised, finding, quoteExcerpt, where, withoutLinks } from './text.js';
import type { CheckContext, CheckedText, Finding } from './types.js';

// First person singular only: "we think you'll love the new trail" is the city speaking.
const OPINION =
  /\b(?:I\s+(?:think|believe|feel|guess|suppose|reckon)|I'?m\s+(?:sure|convinced|certain)|in\s+my\s+(?:humble\s+|honest\s+|personal\s+)?(?:opinion|view)|IMH?O|personally|my\s+(?:personal\s+)?(?:opinion|view|take)\s+is|if\s+you\s+ask\s+me)\b/gi;

// Party and ideology labels: a neutral election notice may name a party primary, so these ask the
// approver to confirm the post states facts rather than a side. Ideology words count only as
// plural nouns: "liberal arts", "conservative estimate" and "progressive hearing loss" are not
// politics.
const POLITICAL =
  /\b(?:Democrats?|Democratic\s+Party|Republicans?|Republican\s+Party|GOP|Libertarians?|Green\s+Party|[Ll]iberals|[Cc]onservatives|[Pp]rogressives|[Ll]eftists?|[Rr]ight-wing(?:ers)?|[Ll]eft-wing(?:ers)?|MAGA|[Ss]ocialists|[Ff]ascists?)\b/g;

// Insults and argumentative or defensive phrases (KA-9 "argumentative, defensive or inflammatory").
// Mild cursing the profanity list leaves out ("damn", "crap") is here too. Words that also name
// city business or places are left out: "garbage", "trash", "crooked" (Crooked Creek), "hell"
// (Hell Roaring Creek).
const INFLAMMATORY =
  /\b(?:idiots?|idiotic|stupid(?:ity)?|morons?|moronic|dumb|pathetic|disgusting|disgraceful|disgrace|shameful|shameless|incompetent|incompetence|liars?|clueless|ignorant|hypocrites?|hypocritical|ridiculous|absurd|outrageous|insane|lunatics?|crooks|thugs|scum|losers?|trolls|whiners?|sheeple|shut\s+up|how\s+dare|you\s+people|so-called|fake\s+news|get\s+your\s+facts\s+straight|with\s+all\s+due\s+respect|for\s+the\s+last\s+time|as\s+we\s+have\s+(?:said|stated)\s+(?:repeatedly|many\s+times|before)|stop\s+spreading|nonsense|damn(?:ed|it)?|crap(?:py)?|pissed(?:\s+off)?|screw\s+(?:you|this|that|them|it))\b/gi;

interface LanguageRule {
  id: string;
  re: RegExp;
  citation: (ctx: CheckContext) => Citation;
  describe: (excerpt: string, on: CheckedText) => string;
}

const LANGUAGE_RULES: LanguageRule[] = [
  {
    id: 'opinion.personal',
    re: OPINION,
    citation: (ctx) => cite(ctx.pack, RULES.opinion),
    describe: (e, on) =>
      `${quoteExcerpt(e)} in ${where(on)} reads as a personal opinion. City posts state the city's information, not a staff member's view: rephrase, or the approver confirms it is a quotation.`,
  },
  {
    id: 'opinion.political',
    re: POLITICAL,
    citation: (ctx) => cite(ctx.pack, RULES.opinion),
    describe: (e, on) =>
      `${capitalised(where(on))} mentions ${quoteExcerpt(e)}. City posts take no political side: the approver confirms this is neutral, factual information.`,
  },
  {
    id: 'language.inflammatory',
    re: INFLAMMATORY,
    citation: (ctx) => cite(ctx.pack, RULES.inflammatory),
    describe: (e, on) =>
      `${quoteExcerpt(e)} in ${where(on)} may read as argumentative or inflammatory. Rephrase respectfully, or the approver confirms it is appropriate.`,
  },
];

export function checkOpinions(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of LANGUAGE_RULES) {
    const citation = rule.citation(ctx);
    for (const on of ctx.texts) {
      const prose = withoutLinks(on.text);
      for (const m of allMatches(rule.re, prose)) {
        const excerpt = on.text.slice(m.index, m.index + m[0].length);
        out.push(
          finding({
            id: rule.id,
            severity: 'acknowledge',
            message: `${rule.describe(excerpt, on)}${policyNote(ctx.pack, citation)}`,
            citation,
            excerpt,
            range: [m.index, m.index + m[0].length],
            on,
          }),
        );
      }
    }
  }
  return out;
}
