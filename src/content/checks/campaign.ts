// Campaign content in a city post blocks: a city may not campaign for or against a candidate or a
// ballot measure (KA-12/BZ-14 list it first among prohibited content; RL-7, KA-9 and MN-6 forbid
// political views; Montana law bars public resources from campaigns). The detector is the one
// comment moderation uses, so staff and residents are held to the same reading of the words.
import { detectCampaign } from '../../policy/detectors/campaign.js';
import { cite, policyNote, RULES } from './citations.js';
import { finding, quoteExcerpt, where, withoutLinks } from './text.js';
import type { CheckContext, Finding } from './types.js';

export function checkCampaign(ctx: CheckContext): Finding[] {
  const citation = cite(ctx.pack, RULES.campaign);
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    for (const match of detectCampaign(withoutLinks(on.text))) {
      const excerpt = on.text.slice(match.range[0], match.range[1]);
      out.push(
        finding({
          id: 'campaign',
          severity: 'block',
          message:
            `Remove the campaign content ${quoteExcerpt(excerpt)} from ${where(on)} (${match.reason}). ` +
            `City accounts may inform about elections (dates, polling places, how to register, the neutral text of a measure) but may not campaign.` +
            policyNote(ctx.pack, citation),
          citation,
          excerpt,
          range: match.range,
          on,
        }),
      );
    }
  }
  return out;
}
