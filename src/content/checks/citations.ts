// Which clause of THIS city's policy a finding rests on. Each rule lists where to look in the pack,
// most specific first; the first hit gives the clause (verbatim) and its POLICY-MAP ids. General
// ids are added only when they belong to a policy this pack cites, so a Bozeman finding never
// points at Kalispell's policy. When nothing matches, the finding has no sources and its message
// says why CivicDesk checks it anyway.
import type { AupCategory, PolicyPack } from '../../policy/pack.schema.js';

export type Probe = { standard: RegExp } | { aup: AupCategory };

export interface RuleSpec {
  probes: Probe[];
  /** POLICY-MAP ids that state the rule in general; kept only for the pack's own policies. */
  general: string[];
}

export interface Citation {
  sources: string[];
  clause?: string;
}

function collectSources(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSources(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'sources' && Array.isArray(child)) {
      for (const id of child) if (typeof id === 'string') into.add(id);
    } else {
      collectSources(child, into);
    }
  }
}

const prefixCache = new WeakMap<PolicyPack, Set<string>>();

/** The POLICY-MAP prefixes (KA, BZ, …) of the policies this pack encodes, read from its citations. */
export function packPrefixes(pack: PolicyPack): Set<string> {
  const cached = prefixCache.get(pack);
  if (cached) return cached;
  const ids = new Set<string>();
  collectSources(pack, ids);
  const prefixes = new Set([...ids].map((id) => id.split('-')[0] ?? ''));
  prefixCache.set(pack, prefixes);
  return prefixes;
}

function probe(pack: PolicyPack, p: Probe): Citation | null {
  if ('standard' in p) {
    const hit = pack.content.standards.find((s) => p.standard.test(s.text));
    return hit ? { sources: [...hit.sources], clause: hit.text } : null;
  }
  const hit = pack.acceptableUse.clauses.find((c) => c.category === p.aup);
  return hit ? { sources: [...hit.sources], clause: hit.text } : null;
}

export function cite(pack: PolicyPack, spec: RuleSpec): Citation {
  let found: Citation = { sources: [] };
  for (const p of spec.probes) {
    const hit = probe(pack, p);
    if (hit) {
      found = hit;
      break;
    }
  }
  const prefixes = packPrefixes(pack);
  const general = spec.general.filter((id) => prefixes.has(id.split('-')[0] ?? ''));
  return { ...found, sources: [...new Set([...found.sources, ...general])] };
}

/** "City of Kalispell policy (KA-15): “Never use …”" — the clause as a person reads it in a message. */
export function policyNote(pack: PolicyPack, citation: Citation): string {
  if (!citation.clause) {
    return citation.sources.length ? ` (${citation.sources.join(', ')})` : '';
  }
  const clause = citation.clause.length > 220 ? `${citation.clause.slice(0, 217).trimEnd()}…` : citation.clause;
  return ` ${pack.city.name} policy (${citation.sources.join(', ')}): “${clause}”`;
}

// The rule specs, in one place so the ids each check cites can be read and reviewed together.
const PRIVACY_PROBES: Probe[] = [
  { standard: /social security|personally identifiable/i },
  { standard: /private or confidential|private information|privacy/i },
  { aup: 'privacy' },
];

export const RULES = {
  personalData: { probes: PRIVACY_PROBES, general: ['KA-15', 'BZ-12', 'LX-6', 'MN-6'] },
  caseNumber: {
    probes: [PRIVACY_PROBES[0] as Probe, { standard: /investigation|criminal justice/i }, ...PRIVACY_PROBES.slice(1)],
    general: ['KA-15', 'BZ-12', 'LX-6', 'MN-6'],
  },
  opinion: {
    probes: [{ standard: /personal (?:or political )?views|political (?:views|opinions)/i }, { standard: /personal use/i }, { standard: /factual/i }],
    general: ['RL-7', 'KA-9', 'MN-6'],
  },
  inflammatory: {
    probes: [{ standard: /inflammatory|argumentative/i }, { standard: /appropriate language/i }, { standard: /respect/i }, { aup: 'personal_attack' }],
    general: ['RL-7', 'KA-9', 'LX-6', 'MN-6'],
  },
  profanity: {
    probes: [{ standard: /profan|obscen|abusive|appropriate language/i }, { aup: 'profanity' }, { standard: /inflammatory/i }, { standard: /respect/i }],
    general: ['KA-9', 'LX-6', 'MN-6'],
  },
  campaign: {
    probes: [{ aup: 'political_campaign' }, { standard: /political/i }, { standard: /city mission|city'?s? .*interests/i }],
    general: ['RL-7', 'KA-9', 'KA-12', 'BZ-14', 'MN-6'],
  },
  linkBack: {
    probes: [{ standard: /(?:refer|direct)\w*\s[\w\s]*back to the/i }, { standard: /linked with the official/i }],
    general: ['KA-8', 'BZ-9', 'MN-3'],
  },
  websiteFirst: { probes: [{ standard: /first be posted on the city/i }], general: ['BZ-8'] },
  accessibility: { probes: [{ standard: /accessib|alt text|\bADA\b/i }], general: [] },
  spelling: { probes: [{ standard: /grammatical|spelling/i }], general: ['MN-6'] },
  readability: { probes: [{ standard: /succinct|plain language/i }], general: ['KA-8'] },
  platformRules: { probes: [{ standard: /rules of the (?:particular )?(?:media |social media )?(?:venue|website)/i }], general: [] },
} satisfies Record<string, RuleSpec>;
