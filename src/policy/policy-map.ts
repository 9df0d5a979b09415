// The requirement ids of /work/shared/POLICY-MAP.md, copied here so a pack can be checked without
// reading that file at run time. Every rule in a pack cites ids from this list; an id that is not
// here is a typo or a requirement nobody has mapped yet, and either way the pack must not load.

function range(prefix: string, last: number): string[] {
  return Array.from({ length: last }, (_, i) => `${prefix}-${i + 1}`);
}

/** Highest id per source policy in POLICY-MAP.md: RL = 000 Red Lodge … MN = 004 LMC model. */
export const POLICY_MAP_COUNTS = { RL: 14, KA: 16, LX: 11, BZ: 17, MN: 11 } as const;

export const POLICY_MAP_IDS: readonly string[] = Object.freeze(
  Object.entries(POLICY_MAP_COUNTS).flatMap(([prefix, last]) => range(prefix, last)),
);

export const POLICY_MAP_ID_PATTERN = /^(RL|KA|LX|BZ|MN)-\d+$/;

const KNOWN = new Set(POLICY_MAP_IDS);

export function isPolicyMapId(value: string): boolean {
  return KNOWN.has(value);
}
