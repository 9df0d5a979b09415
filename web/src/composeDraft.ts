// The compose form's state and what is sent from it: the draft to save, the (lenient) draft to
// check live while typing, and the checks the browser makes before saving. Field ids and labels
// for the error summary follow the API's field paths (body.text, body.media.0.alt, draft.text …).
import { platformWords } from './accountText.js';
import type { ComposeImage } from './components/ComposeMedia.js';
import { mediaFieldId } from './components/ComposeMedia.js';
import { fromLocalInput, isWebAddress, toLocalInput } from './contentText.js';
import type { DraftBody, DraftView } from './contentTypes.js';
import type { FieldError } from './types.js';

export interface ComposeState {
  text: string;
  /** Platforms with a text of their own, and that text. */
  variants: Record<string, string>;
  accountIds: string[];
  link: string;
  websiteUrl: string;
  category: string;
  emergency: boolean;
  images: ComposeImage[];
  /** As in <input type="datetime-local">, in the browser's time zone. */
  scheduledAt: string;
}

export const EMPTY_COMPOSE: ComposeState = {
  text: '', variants: {}, accountIds: [], link: '', websiteUrl: '', category: '', emergency: false, images: [], scheduledAt: '',
};

export function composeFrom(d: DraftView): ComposeState {
  return {
    text: d.text,
    variants: Object.fromEntries(d.variants.map((v) => [v.platform, v.text])),
    accountIds: [...d.accountIds],
    link: d.link ?? '',
    websiteUrl: d.websiteUrl ?? '',
    category: d.category ?? '',
    emergency: d.emergency,
    images: d.media.map((m, i) => ({ ...m, alt: m.alt ?? '', name: `Image ${i + 1}`, preview: null })),
    scheduledAt: toLocalInput(d.scheduledAt),
  };
}

const blankToNull = (v: string) => (v.trim() ? v.trim() : null);

export function draftBody(s: ComposeState): DraftBody {
  return {
    text: s.text.trim(),
    variants: Object.entries(s.variants).filter(([, t]) => t.trim()).map(([platform, t]) => ({ platform, text: t.trim() })),
    media: s.images.map((m) => ({ sha256: m.sha256, mime: m.mime, size: m.size, alt: blankToNull(m.alt) })),
    link: blankToNull(s.link),
    websiteUrl: blankToNull(s.websiteUrl),
    category: blankToNull(s.category),
    emergency: s.emergency,
    accountIds: s.accountIds,
    scheduledAt: s.scheduledAt ? fromLocalInput(s.scheduledAt) : null,
  };
}

/**
 * What the live check sends: the draft as far as it is valid now (a half-typed address is left
 * out rather than making the whole check fail). Null while there is no text.
 */
export function checkBody(s: ComposeState): Record<string, unknown> | null {
  const body = draftBody(s);
  if (!body.text) return null;
  const out: Record<string, unknown> = { text: body.text, variants: body.variants, media: body.media, emergency: body.emergency };
  if (body.accountIds.length) out.accountIds = body.accountIds;
  if (body.link && isWebAddress(body.link)) out.link = body.link;
  if (body.websiteUrl && isWebAddress(body.websiteUrl)) out.websiteUrl = body.websiteUrl;
  if (body.category) out.category = body.category.slice(0, 60);
  return out;
}

/** What the browser can tell before saving; the server checks again and has the last word. */
export function validate(s: ComposeState): FieldError[] {
  const errors: FieldError[] = [];
  if (!s.text.trim()) errors.push({ path: 'body.text', message: 'Write the post.' });
  if (s.accountIds.length === 0) errors.push({ path: 'body.accountIds', message: 'Choose at least one account to post to.' });
  if (s.link.trim() && !isWebAddress(s.link.trim())) errors.push({ path: 'body.link', message: 'Give a full web address starting https://' });
  if (s.websiteUrl.trim() && !isWebAddress(s.websiteUrl.trim())) errors.push({ path: 'body.websiteUrl', message: 'Give a full web address starting https://' });
  if (s.scheduledAt && !fromLocalInput(s.scheduledAt)) errors.push({ path: 'body.scheduledAt', message: 'Give a date and time, or leave it blank.' });
  s.images.forEach((m, i) => {
    if (!m.alt.trim()) errors.push({ path: `body.media.${i}.alt`, message: `Describe ${m.name} for people who cannot see it.` });
  });
  return errors;
}

export const TEXT_ID = 'draft-text';
export const ACCOUNTS_ID = 'draft-accounts';
export const variantId = (platform: string) => `variant-${platform}`;

/** Field name (API path without body.) → input id, and → label, for the error summary. */
export function summaryTargets(s: ComposeState): { fieldIds: Record<string, string>; labels: Record<string, string> } {
  const fieldIds: Record<string, string> = {
    text: TEXT_ID, 'draft.text': TEXT_ID, accountIds: ACCOUNTS_ID, link: 'draft-link', websiteUrl: 'draft-website',
    category: 'draft-category', scheduledAt: 'draft-schedule', emergency: 'draft-emergency',
  };
  const labels: Record<string, string> = {
    text: 'Post text', 'draft.text': 'Post text', accountIds: 'Accounts', link: 'Link', websiteUrl: 'Page on the city website',
    category: 'Category', scheduledAt: 'Publish at', emergency: 'Emergency', media: 'Images', variants: 'Platform texts',
  };
  for (const platform of Object.keys(s.variants)) {
    fieldIds[`draft.variants.${platform}`] = variantId(platform);
    labels[`draft.variants.${platform}`] = `${platformWords(platform)} text`;
  }
  s.images.forEach((m, i) => {
    fieldIds[`media.${i}.alt`] = mediaFieldId(i);
    labels[`media.${i}.alt`] = `Alt text for ${m.name}`;
  });
  return { fieldIds, labels };
}
