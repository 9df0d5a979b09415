// Finding people named in a comment: "Jason Whitcomb", "@PriyaHolcomb", an official from the
// city's settings. Capitalised words are the only signal a rule-based classifier has, so a list
// of capitalised words that are not names (sentence openers, days, civic nouns, street words)
// keeps "City Council" and "Main Street" from reading as people.
import type { Context } from './context.js';
import { endOf, startOf } from './normalize.js';

const NOT_NAMES = new Set(`i i'm i've i'll i'd the this that these those a an and but or if so my our your his her their we
  you he she they it its what why how when where who which is are was were do does did can could will would should please
  thanks thank yes no not just only also great good oh wow lol ok okay maybe every all any some each heads psa fyi fun happy
  hey hi hello remember let let's go stop fix vote elect shame finally since because here there then now today tonight
  tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday january february march april may june july
  august september october november december city council mayor county state street st avenue ave road rd drive dr lane ln
  way blvd boulevard court ct place pl park parks library department dept public works police fire water hall main north
  south east west commission planning center centre community election prop proposition measure bond route highway hwy
  christmas thanksgiving halloween easter american americans english spanish facebook twitter instagram google am pm llc
  inc dm pdf mr mrs ms dr office plaza market square bridge river lake creek hill hills valley school high middle
  elementary church hospital clinic station airport downtown uptown district chambers clerk manager chief officer
  director councilman councilwoman councilmember commissioner deputy sheriff judge ranger officers staff crews crew team
  bros brothers co company hardware foods tacos deals essentials services solutions llc ledger news times daily weekly
  post gazette tribune herald journal bank store shop cafe grill bar restaurant pizza coffee club association committee
  board authority agency division bureau office's god jesus lord amen ai bot free limited new old big little best worst
  first last next one two three four five six seven eight nine ten hot local lonely earn make join come find follow
  check don't can't won't isn't it's that's there's here's what's who's let's i'd we're you're they're he's she's`
  .split(/\s+/));

const WORD = /[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)?/g;

function isNameWord(w: string): boolean {
  return !NOT_NAMES.has(w.toLowerCase());
}

/** A person named with a title: "Mayor Reyes", "Officer Daniels", "Ms. Lee". */
export const TITLED_NAME = /\b(?:Mayor|Councilman|Councilwoman|Councilmember|Council Member|Commissioner|Chief|Officer|Director|Manager|Clerk|Judge|Deputy|Sheriff|Sergeant|Sgt|Detective|Ranger|Inspector|Superintendent|Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][a-z]+/;

/** Full names ("Amber Kessler", "Mary-Jo O'Neil") in original [from, to): [start, end) pairs. */
export function fullNames(original: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const text = original.slice(from, to);
  WORD.lastIndex = 0;
  let prev: RegExpExecArray | null = null;
  for (let m = WORD.exec(text); m && out.length < 12; m = WORD.exec(text)) {
    const gap = prev ? text.slice(prev.index + prev[0].length, m.index) : '';
    if (prev && gap === ' ' && isNameWord(prev[0]) && isNameWord(m[0])) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 12);
      // "Pine St", "Kestrel Way", "Hollis Hardware" are places, not people.
      if (!/^\s+(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Way|Blvd|Ct|Pl|Park|Plaza|Hall|Center)\b/.test(after)) {
        out.push([from + prev.index, from + m.index + m[0].length]);
        prev = null;
        continue;
      }
    }
    prev = m;
  }
  return out;
}

/** Does folded [s, e) mention a particular person: a full name, an @handle, a listed official,
 *  or a capitalised name used as a subject or a vocative ("Tarrasco, I've seen...")? */
export function hasPersonRef(ctx: Context, s: number, e: number): boolean {
  const slice = ctx.f.slice(s, e);
  if (/(?:^|\s)@[a-z]\w+/.test(slice)) return true;
  if (ctx.officials) {
    ctx.officials.lastIndex = 0;
    if (ctx.officials.test(slice)) return true;
  }
  if (e <= s) return false;
  const from = startOf(ctx.folded, s);
  const to = endOf(ctx.folded, Math.min(e, ctx.f.length) - 1);
  if (fullNames(ctx.original, from, to).length > 0) return true;
  const text = ctx.original.slice(from, to);
  // A lone capitalised name right before "is"/"was" or a comma opening the sentence.
  const lone = /(?:^|[^.!?]\s)([A-Z][a-z]{2,})(?:'s)?\s+(?:is|was|has|needs|should|pushing|voted)\b|^\s*([A-Z][a-z]{2,}),/.exec(text);
  return lone !== null && isNameWord((lone[1] ?? lone[2]) ?? '');
}
