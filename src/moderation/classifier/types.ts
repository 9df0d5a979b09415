// Public shapes of the comment triage classifier. Kept apart from index.ts so the detectors can
// share them without importing the module that imports them.
import { AUP_CATEGORIES } from '../../policy/pack.constants.js';

// The classifier's categories are the packs' Acceptable Use categories: one vocabulary, so a label
// always maps onto a clause a person can cite.
export const CATEGORIES = AUP_CATEGORIES;

export type Category = (typeof CATEGORIES)[number];

/** A stretch of the comment as the resident wrote it (UTF-16 offsets into the original text). */
export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Evidence {
  category: Category;
  /** Which rule fired, e.g. `lexicon:fuck (obfuscated)` or `cues:watch-your-back+warned`. */
  rule: string;
  spans: Span[];
  /** 0..1; a category is a label when its strongest evidence reaches the threshold. */
  confidence: number;
}

export interface ViewpointEvidence {
  /** The critical words ("waste of taxpayer money", "incompetent"). */
  criticism: Span[];
  /** What they are aimed at ("the council", "this ban"), when the comment names it. */
  targets: Span[];
}

export interface Classification {
  /** Categories whose strongest evidence reaches the threshold, in CATEGORIES order. */
  labels: Category[];
  /**
   * The comment criticises the city, its officials or its policies. A warning for the moderator
   * that removing it could be viewpoint discrimination; never a reason to act.
   */
  viewpoint: boolean;
  viewpointEvidence?: ViewpointEvidence;
  /** Everything that fired, labelled or not, so a moderator sees why (and why not). */
  evidence: Partial<Record<Category, Evidence[]>>;
  /** Set when there is nothing to classify ('empty text', 'media only'); labels are then empty. */
  unclassifiable?: string;
}

export interface ClassifyInput {
  text: string;
  /** The city's post the comment replies to; off_topic is judged against it. */
  post?: string;
  /** The comment carries a photo, video or other attachment (an empty text is then 'media only'). */
  hasMedia?: boolean;
}

export interface ClassifyOptions {
  /** Local names and streets that are never profanity or sexual ("Dick Smith", "Cockrell Street"). */
  allowlist?: readonly string[];
  /** Names of officials, so attacks and threats aimed at them are recognised by name alone. */
  officials?: readonly string[];
}
