// The vocabulary shared by every draft check. Kept apart from index.ts so the rule modules can
// import it without importing the module that imports them.
import type { PolicyPack } from '../../policy/pack.schema.js';

/** block: cannot be submitted; acknowledge: the approver must confirm it; hint: advice only. */
export type Severity = 'block' | 'acknowledge' | 'hint';

export interface Finding {
  /** Stable rule id, e.g. 'personal-data.ssn'; the UI and tests key on it. */
  id: string;
  severity: Severity;
  /** Says what is wrong and what to do, in words a communications officer can act on. */
  message: string;
  /** POLICY-MAP ids of this pack's rules; empty when no clause of this city's policy covers it. */
  sources: string[];
  /** The pack's own words for the rule, verbatim. */
  clause?: string;
  /** The offending text. */
  excerpt?: string;
  /** Offsets of the excerpt in the checked text (the variant's text when `variant` is set). */
  range?: [number, number];
  /** The platform whose variant the finding is about. */
  variant?: string;
}

export interface DraftForCheck {
  text: string;
  variants?: Array<{ platform: string; text: string }>;
  media?: Array<{ alt?: string | null; mime: string }>;
  link?: string | null;
  category?: string | null;
  emergency?: boolean;
  /** The city-website page carrying the same content (BZ-8). */
  websiteUrl?: string | null;
}

/** One text that will be published: the main text, or one platform's variant of it. */
export interface CheckedText {
  text: string;
  variant?: string;
}

export interface CheckContext {
  pack: PolicyPack;
  draft: DraftForCheck;
  /** The main text first, then each variant. */
  texts: CheckedText[];
}

export type Check = (ctx: CheckContext) => Finding[];
