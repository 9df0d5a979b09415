// Policy checks for a draft post, run on every save and before publishing. Each rule is a small
// pure module; this one runs them all against the city's pack and orders what they find, most
// serious first. A draft with any 'block' finding cannot be submitted (see `blocking`).
import type { PolicyPack } from '../../policy/pack.schema.js';
import { checkCampaign } from './campaign.js';
import { checkDisclosures } from './disclosures.js';
import { checkLengths } from './length.js';
import { checkAltText } from './media.js';
import { checkOpinions } from './opinions.js';
import { checkPersonalData } from './personal-data.js';
import { checkProfanity } from './profanity.js';
import { checkReadability } from './readability.js';
import { checkSpelling } from './spelling.js';
import type { Check, CheckContext, DraftForCheck, Finding, Severity } from './types.js';
import { checkLinkBack, checkWebsiteFirst } from './website.js';

export type { DraftForCheck, Finding, Severity } from './types.js';

const CHECKS: Check[] = [
  checkPersonalData,
  checkCampaign,
  checkProfanity,
  checkOpinions,
  checkWebsiteFirst,
  checkLinkBack,
  checkAltText,
  checkLengths,
  checkDisclosures,
  checkReadability,
  checkSpelling,
];

const RANK: Record<Severity, number> = { block: 0, acknowledge: 1, hint: 2 };

/**
 * A variant usually repeats the main text, so a finding already made on the main text (same rule,
 * same offending words) is not repeated for each variant; once the main text is fixed, the next
 * check reports the variant if it still has it.
 */
function withoutRepeats(findings: Finding[]): Finding[] {
  const key = (f: Finding): string => `${f.id}\u0000${f.excerpt ?? ''}`;
  const onMain = new Set(findings.filter((f) => f.variant === undefined && f.excerpt !== undefined).map(key));
  return findings.filter((f) => f.variant === undefined || f.excerpt === undefined || !onMain.has(key(f)));
}

export function checkDraft(pack: PolicyPack, draft: DraftForCheck): Finding[] {
  const ctx: CheckContext = {
    pack,
    draft,
    texts: [{ text: draft.text }, ...(draft.variants ?? []).map((v) => ({ text: v.text, variant: v.platform }))],
  };
  const findings = withoutRepeats(CHECKS.flatMap((check) => check(ctx)));
  // Stable sort: within a severity, the order of CHECKS and of the text is kept.
  return findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** The findings that stop a draft from being submitted or published. */
export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'block');
}
