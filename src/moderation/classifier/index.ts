// Comment triage classifier (issue 7): local rules only, no cloud call and no model. For each
// comment, the categories of the city's Acceptable Use policy it may violate, each with the spans
// or rule that fired and a confidence, plus a `viewpoint` warning when it criticises the city.
// It triages for a human moderator; it never decides.
import { buildContext, toEvidence, type Context, type Hit } from './context.js';
import { detectAttack } from './attack.js';
import { detectCommercial, SPAM_RULES } from './commercial.js';
import { detectCopyright } from './copyright.js';
import { detectDiscrimination } from './discrimination.js';
import { detectHarassment } from './harassment.js';
import { detectIllegal } from './illegal.js';
import { lexiconHits } from './lexicon-match.js';
import { detectOffTopic } from './offtopic.js';
import { detectPolitical } from './political.js';
import { detectPrivacy } from './privacy.js';
import { detectSafety } from './safety.js';
import { detectSexual, SINGLE_TARGET } from './sexual.js';
import { detectThreat } from './threat.js';
import { detectViewpoint } from './viewpoint.js';
import { TITLED_NAME } from './people.js';
import { CATEGORIES, type Category, type Classification, type ClassifyInput, type ClassifyOptions, type Evidence } from './types.js';

export { CATEGORIES } from './types.js';
export type { Category, Classification, ClassifyInput, ClassifyOptions, Evidence, Span, ViewpointEvidence } from './types.js';

/** A category is a label at this confidence. */
export const LABEL_THRESHOLD = 0.5;
/**
 * When a comment criticises the city, a wrong label is the costliest error (it invites viewpoint
 * discrimination), so every category judged from context needs firmer evidence. Profanity is
 * judged on the words alone and keeps the normal threshold: "this ban is bullsh1t" is profane.
 */
export const VIEWPOINT_THRESHOLD = 0.6;

// Placeholders platforms and exports use for attachments, and bare links to media files.
const MEDIA_ONLY = /^(?:\s|\[(?:image|photo|picture|video|gif|sticker|attachment|media|audio)[^\]]{0,80}\]|\((?:image|photo|video|gif|sticker|attachment)\)|<(?:image|img|video|media)[^>]{0,200}>|https?:\/\/\S+\.(?:jpe?g|png|gif|webp|heic|mp4|mov|webm)(?:\?\S*)?|https?:\/\/(?:media\d?\.)?(?:giphy|tenor)\.com\/\S+)+$/i;

function unclassifiable(text: string, hasMedia: boolean): string | undefined {
  if (text.trim() === '') return hasMedia ? 'media only' : 'empty text';
  if (text.length <= 20_000 && MEDIA_ONLY.test(text)) return 'media only';
  return undefined;
}

function best(evidence: readonly Evidence[] | undefined): number {
  return evidence && evidence.length ? Math.max(...evidence.map((e) => e.confidence)) : 0;
}

const CONTACT_THEM = /\b(?:text|call|message|dm|email|tell|visit|go see|go say hi to|confront) (?:him|her|them)\b|\b(?:just )?so (?:everyone|everybody|you all|y'?all) knows?\b|\bspread the word\b|\bflood\b/;

function spamFired(hits: readonly Hit[]): boolean {
  return hits.some((h) => h.confidence >= LABEL_THRESHOLD && SPAM_RULES.some((r) => r.id === h.rule));
}

function detectAll(ctx: Context): Record<Category, Hit[]> {
  const lexicon = lexiconHits(ctx);
  const commercial = detectCommercial(ctx);
  const sexual = [...lexicon.sexual, ...detectSexual(ctx)];
  const harassment = detectHarassment(ctx);
  const offTopic = detectOffTopic(ctx);
  // A sexual remark aimed at one identifiable person is also harassment; at a group ("the
  // lifeguards") it is not.
  const sexualScore = best(toEvidence('sexual', sexual));
  if (sexualScore >= LABEL_THRESHOLD && (SINGLE_TARGET.test(ctx.f) || TITLED_NAME.test(ctx.c.slice(0, 2000)))) {
    const strongest = sexual.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    harassment.push({ rule: 'sexual-remark-at-a-person', confidence: 0.65, spans: strongest.spans });
  }
  // Someone's private details plus "text her", "go tell him": doxxing with a call to act.
  const privacy = detectPrivacy(ctx);
  if (best(toEvidence('privacy', privacy)) >= LABEL_THRESHOLD && CONTACT_THEM.test(ctx.f)) {
    harassment.push({ rule: 'doxxing-with-a-call-to-contact', confidence: 0.65, spans: privacy[0].spans });
  }
  // Get-rich and dating schemes have nothing to do with any city post.
  if (spamFired(commercial)) {
    offTopic.push({ rule: 'spam-scheme', confidence: 0.65, spans: commercial.filter((h) => SPAM_RULES.some((r) => r.id === h.rule)).flatMap((h) => h.spans) });
  }
  return {
    political_campaign: detectPolitical(ctx),
    commercial,
    profanity: lexicon.profanity,
    threat: detectThreat(ctx),
    harassment,
    personal_attack: detectAttack(ctx),
    discrimination: [...lexicon.discrimination, ...detectDiscrimination(ctx)],
    sexual,
    privacy,
    illegal_activity: detectIllegal(ctx),
    copyright: detectCopyright(ctx),
    public_safety: detectSafety(ctx),
    off_topic: offTopic,
  };
}

/** Classifies one comment. Never throws on odd input: empty, huge, any Unicode. */
export function classify(input: ClassifyInput, options: ClassifyOptions = {}): Classification {
  const text = typeof input.text === 'string' ? input.text : '';
  const reason = unclassifiable(text, input.hasMedia === true);
  if (reason) return { labels: [], viewpoint: false, evidence: {}, unclassifiable: reason };
  const ctx = buildContext(text, typeof input.post === 'string' ? input.post : '', options.allowlist ?? [], options.officials ?? []);
  const hits = detectAll(ctx);
  const view = detectViewpoint(ctx);
  const evidence: Partial<Record<Category, Evidence[]>> = {};
  const labels: Category[] = [];
  for (const category of CATEGORIES) {
    // Commercial combines its own signals (noisy-or); the others use the cue combination.
    const found = toEvidence(category, hits[category], category !== 'commercial');
    if (found.length === 0) continue;
    evidence[category] = found;
    const threshold = view.viewpoint && category !== 'profanity' ? VIEWPOINT_THRESHOLD : LABEL_THRESHOLD;
    if (best(found) >= threshold) labels.push(category);
  }
  return { labels, viewpoint: view.viewpoint, ...(view.evidence ? { viewpointEvidence: view.evidence } : {}), evidence };
}
