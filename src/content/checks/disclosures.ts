// Notices a pack wants on every post (RL-11: "all entries shall clearly indicate that any article
// or posted content is subject to public disclosures"). The notice's exact words are not
// required, since the policy gives none, so a post passes when it has the notice, its closing
// phrase ("subject to public disclosure"), or most of its key words. Missing, the approver must
// acknowledge rather than being blocked: whether the account profile's notice covers a short
// reply is a judgement the policy leaves to people.
import type { PolicyPack } from '../../policy/pack.schema.js';
import { policyNote, type Citation } from './citations.js';
import { finding, where } from './text.js';
import type { CheckContext, Finding } from './types.js';

const STOP = new Set('a an and any are as at be by for from in is it of on or our the this to was we will with your you'.split(' '));
const KEY_WORD_SHARE = 0.6;
const CLOSING_WORDS = 4;

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    // A crude stem, so "disclosures" matches "disclosure".
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

function containsRun(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export function hasNotice(text: string, notice: string): boolean {
  const have = tokens(text);
  const want = tokens(notice);
  if (containsRun(have, want) || containsRun(have, want.slice(-CLOSING_WORDS))) return true;
  const key = [...new Set(want.filter((w) => !STOP.has(w) && w.length > 3))];
  const present = new Set(have);
  return key.length > 0 && key.filter((w) => present.has(w)).length / key.length >= KEY_WORD_SHARE;
}

function citationFor(pack: PolicyPack, disclosure: PolicyPack['disclosures'][number]): Citation {
  // The clause is the content standard that requires the notice, when the pack has one.
  const standard = pack.content.standards.find((s) => s.sources.some((id) => disclosure.sources.includes(id)));
  const sources = [...new Set([...disclosure.sources, ...(standard?.sources ?? [])])];
  return standard ? { sources, clause: standard.text } : { sources, clause: disclosure.text };
}

export function checkDisclosures(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const disclosure of ctx.pack.disclosures) {
    if (!disclosure.appliesTo.includes('post')) continue;
    const citation = citationFor(ctx.pack, disclosure);
    for (const on of ctx.texts) {
      if (hasNotice(on.text, disclosure.text)) continue;
      out.push(
        finding({
          id: `disclosure.${disclosure.id}`,
          severity: 'acknowledge',
          message:
            `Add the notice “${disclosure.text}” to ${where(on)}: the policy wants it on every post, and posting without it needs the approver's acknowledgement.` +
            policyNote(ctx.pack, citation),
          citation,
          on,
        }),
      );
    }
  }
  return out;
}
