// Shapes of the content API's JSON (src/content/*), as the web app reads them: drafts and their
// findings, decisions, publications, the publishing switch and incidents. Kept apart from types.ts
// so the content pages stay small; like types.ts, nothing here imports server code.
import type { ChainSnapshot, StepState } from './types.js';

export type FindingSeverity = 'block' | 'acknowledge' | 'hint';

/** One result of checking a draft against the city's policy (src/content/checks). */
export interface Finding {
  id: string;
  severity: FindingSeverity;
  message: string;
  /** POLICY-MAP ids of the clause behind it. */
  sources: string[];
  /** The policy's own words. */
  clause?: string;
  /** The part of the draft that triggered it. */
  excerpt?: string;
  /** Offsets of the excerpt in the checked text. */
  range?: [number, number];
  /** Set when it concerns one platform's variant text rather than the main text. */
  variant?: string;
}

export type DraftStatus = 'draft' | 'in_review' | 'rejected' | 'approved' | 'scheduled' | 'publishing' | 'published' | 'failed';

export interface DraftVariant {
  platform: string;
  text: string;
}

/** An uploaded image as a draft lists it (POST /api/content/media answers all but alt). */
export interface MediaRef {
  sha256: string;
  mime: string;
  size: number;
  alt?: string | null;
}

export interface DraftView {
  id: string;
  authorId: string;
  authorName: string;
  departmentId: string | null;
  text: string;
  variants: DraftVariant[];
  media: MediaRef[];
  link: string | null;
  websiteUrl: string | null;
  category: string | null;
  emergency: boolean;
  accountIds: string[];
  status: DraftStatus;
  version: number;
  currentStep: number;
  chain: ChainSnapshot | null;
  findings: Finding[];
  scheduledAt: string | null;
  submittedAt: string | null;
  updatedAt: string;
  /** Whether the person asking decides the current step. */
  awaitsMe: boolean;
}

export interface DraftDecisionRecord {
  step: number;
  role: string;
  /** The decider's name. */
  by: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  at: string;
  version: number;
}

export interface DraftComment {
  by: string;
  text: string;
  at: string;
}

export interface Publication {
  accountId: string;
  platform: string;
  status: 'pending' | 'published' | 'failed' | string;
  url: string | null;
  error: string | null;
  attempts: number;
  publishedAt: string | null;
}

export interface DraftDetail extends DraftView {
  decisions: DraftDecisionRecord[];
  comments: DraftComment[];
  publications: Publication[];
}

/** The body of POST /api/content/drafts, PUT /api/content/drafts/:id and POST /api/content/check. */
export interface DraftBody {
  text: string;
  variants: DraftVariant[];
  media: MediaRef[];
  link: string | null;
  websiteUrl: string | null;
  category: string | null;
  emergency: boolean;
  accountIds: string[];
  scheduledAt: string | null;
}

export interface PublishOutcome {
  accountId: string;
  status: 'published' | 'failed' | 'skipped';
  url?: string | null;
  error?: string;
  /** What the policy asks that the platform could not do for this post (LX-8: comments stay open). */
  notices?: Array<{ id: 'comments_stay_open'; title: string; text: string; sources: string[] }>;
}

export interface DecisionResponse {
  status: DraftStatus;
  step: number;
  publishNow: boolean;
  published: PublishOutcome[];
}

export interface PublishingSwitch {
  paused: boolean;
  reason: string | null;
}

export interface Incident {
  id: string;
  kind: string;
  accountId: string | null;
  status: string;
  summary: string;
  platformId: string | null;
  openedAt: string;
  resolvedAt: string | null;
}

/** A content category the pack names (pack.content.categories), when it names any. */
export interface ContentCategory {
  id: string;
  label: string;
}

/** The part of GET /api/policy the compose page reads (pack.content may be absent in older packs). */
export interface ContentPolicy {
  pack: {
    content?: {
      categories?: ContentCategory[];
      websiteFirst: boolean;
      emergencyMayPostFirst: boolean;
      linkBackRequired: boolean;
      sources: string[];
    };
  };
}

/** A chain step with its state, for <ChainSteps>. */
export interface DraftStepView {
  roleTitle: string;
  label: string;
  state: StepState;
  decision: { decision: 'approved' | 'rejected'; by: string; byName: string; at: string; comment: string | null } | null;
}
