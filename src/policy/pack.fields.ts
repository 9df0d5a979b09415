// Field-level building blocks for the policy pack schema. Each message says what was expected and
// what was found, because the person reading it is a city administrator editing JSON, not a developer.
import { z } from 'zod';
import { parseGrant } from './grants.js';
import { POLICY_MAP_COUNTS, POLICY_MAP_ID_PATTERN, isPolicyMapId } from './policy-map.js';

/** A template blank: `{{city_name}}`. The LMC model (MN-1) is shipped with these unfilled. */
export const BLANK_PATTERN = /\{\{([a-z][a-z0-9_]*)\}\}/g;

export function hasBlank(value: string): boolean {
  return new RegExp(BLANK_PATTERN.source).test(value);
}

export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export const SourceIdSchema = z.string().superRefine((id, ctx) => {
  if (!POLICY_MAP_ID_PATTERN.test(id)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a POLICY-MAP id such as "KA-12" (RL-, KA-, LX-, BZ- or MN- and a number), found ${quote(id)}`,
    });
    return;
  }
  if (!isPolicyMapId(id)) {
    const prefix = id.slice(0, 2) as keyof typeof POLICY_MAP_COUNTS;
    ctx.addIssue({
      code: 'custom',
      message: `unknown POLICY-MAP id ${quote(id)}; ${prefix} ids run from ${prefix}-1 to ${prefix}-${POLICY_MAP_COUNTS[prefix]}`,
    });
  }
});

/** Every rule says which requirements it encodes; a rule with no source cannot be traced. */
export const SourcesSchema = z.array(SourceIdSchema).min(1);

const SNAKE = /^[a-z][a-z0-9_]*$/;
const KEBAB = /^[a-z0-9][a-z0-9.-]*$/;

function patterned(pattern: RegExp, expected: string) {
  return z.string().superRefine((value, ctx) => {
    if (!pattern.test(value)) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, found ${quote(value)}` });
    }
  });
}

export const RoleIdSchema = patterned(SNAKE, 'a snake_case role id such as "city_clerk"');
export const SnakeIdSchema = patterned(SNAKE, 'a snake_case id such as "follower_lists"');
export const KebabIdSchema = patterned(KEBAB, 'a lower-case id such as "aup-6a" or "kalispell-mt"');
export const BlankKeySchema = patterned(SNAKE, 'a snake_case blank key such as "city_name"');

export const GrantSchema = z.string().superRefine((grant, ctx) => {
  const parsed = parseGrant(grant);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

/**
 * A string that must satisfy `check` once the pack is in use. While it still holds a `{{blank}}`
 * it is accepted as is: the template check (validatePackForUse) refuses it later, and re-validates
 * the filled value against this same schema.
 */
function templatable(check: (value: string) => boolean, expected: string) {
  return z.string().superRefine((value, ctx) => {
    if (hasBlank(value) || check(value)) return;
    ctx.addIssue({ code: 'custom', message: `expected ${expected}, found ${quote(value)}` });
  });
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    // Intl also accepts abbreviations such as "EST", which are ambiguous and ignore daylight saving.
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const IsoDateSchema = templatable(isIsoDate, 'an ISO date such as "2015-12-08"');
export const WebUrlSchema = templatable(isWebUrl, 'an http(s) URL such as "https://www.kalispell.com"');
export const TimeZoneSchema = templatable(isTimeZone, 'an IANA time zone such as "America/Denver"');
export const EmailDomainSchema = templatable(
  (value) => DOMAIN.test(value),
  'a lower-case e-mail domain such as "kalispell.com"',
);
export const StateSchema = templatable(
  (value) => /^[A-Z]{2}$/.test(value),
  'a two-letter upper-case state code such as "MT"',
);

/** Prose from the policy. Must not be empty: an empty clause would let a removal cite nothing. */
export const TextSchema = z.string().superRefine((value, ctx) => {
  if (!/\S/.test(value)) {
    ctx.addIssue({ code: 'custom', message: `expected non-empty text, found ${quote(value)}` });
  }
});

export { isIsoDate };
