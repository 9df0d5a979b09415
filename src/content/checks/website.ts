// The city website in a post. Link back (KA-8, BZ-9, MN-3): where the pack requires every post to
// direct people to the city website, a post without a link to it blocks; where the policy only
// encourages it, a hint. Website first (BZ-8): the content must already be on the city website,
// so the draft names that page, unless it is an emergency the policy lets go to social media first.
import { cite, policyNote, RULES } from './citations.js';
import { capitalised, cityHosts, finding, findUrls, hostOf, isCityHost, where } from './text.js';
import type { CheckContext, Finding } from './types.js';

function linksToCity(text: string, hosts: string[]): boolean {
  return findUrls(text).some((u) => isCityHost(hostOf(u.url), hosts));
}

export function checkLinkBack(ctx: CheckContext): Finding[] {
  const hosts = cityHosts(ctx.pack);
  // A template whose website blank is unfilled has no domain to look for.
  if (hosts.length === 0) return [];
  const attached = ctx.draft.link ? isCityHost(hostOf(ctx.draft.link), hosts) : false;
  if (attached) return [];
  const required = ctx.pack.content.linkBackRequired;
  const referStandard = ctx.pack.content.standards.find((s) => /(?:refer|direct)\w*\s[\w\s]*back to the/i.test(s.text));
  if (!required && !referStandard) return [];
  const citation = cite(ctx.pack, RULES.linkBack);
  const website = ctx.pack.city.website;
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    if (linksToCity(on.text, hosts)) continue;
    out.push(
      finding({
        id: 'website.link-back',
        severity: required ? 'block' : 'hint',
        message: required
          ? `${capitalised(where(on))} must direct people to the city website: add a link to the page on ${website} with the details.${policyNote(ctx.pack, citation)}`
          : `Consider linking ${where(on)} to the city website (${website}) for further information.${policyNote(ctx.pack, citation)}`,
        citation,
        on,
      }),
    );
  }
  return out;
}

export function checkWebsiteFirst(ctx: CheckContext): Finding[] {
  const { content } = ctx.pack;
  if (!content.websiteFirst) return [];
  const citation = cite(ctx.pack, RULES.websiteFirst);
  const note = policyNote(ctx.pack, citation);
  const website = ctx.pack.city.website;
  if (ctx.draft.emergency && content.emergencyMayPostFirst) {
    return [
      finding({
        id: 'website.first.emergency',
        severity: 'acknowledge',
        message: `Emergency post ahead of the city website: confirm the department director pre-approved posting it to social media first, and put the same content on ${website} as soon as possible.${note}`,
        citation,
      }),
    ];
  }
  const given = ctx.draft.websiteUrl?.trim() ?? '';
  const hosts = cityHosts(ctx.pack);
  if (given && (hosts.length === 0 || isCityHost(hostOf(given), hosts))) return [];
  const fix = content.emergencyMayPostFirst
    ? `give the ${website} page that already carries this content, or, if this is an emergency, mark it as one (the emergency path needs the director's pre-approval)`
    : `give the ${website} page that already carries this content (this policy has no emergency exception)`;
  const message = given
    ? `${JSON.stringify(given)} is not on the city website. Content goes on the city website first: ${fix}.${note}`
    : `Content goes on the city website first: ${fix}.${note}`;
  return [finding({ id: 'website.first', severity: 'block', message, citation, ...(given ? { excerpt: given } : {}) })];
}
