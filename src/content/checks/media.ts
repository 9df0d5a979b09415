// Images need a text alternative. Under the ADA Title II web rule a city's web content, its social
// media posts included, must meet WCAG 2.1 AA, and WCAG 1.1.1 requires a text alternative for every
// image. The source policies were all adopted before that rule (2024), so packs rarely carry a
// clause for it: the finding cites one when the pack has it and names the law when it does not.
import { cite, policyNote, RULES } from './citations.js';
import { finding } from './text.js';
import type { CheckContext, Finding } from './types.js';

const MIN_ALT = 5;
// What cameras, phones and upload tools put where a description should be.
const FILENAME = /^(?:[\w\s().,-]+\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)|(?:IMG|DSC|DSCN|PXL|Screenshot|Screen Shot|image|photo)[\s_-]?[\w\s.-]*\d[\w\s.-]*)$/i;
const PLACEHOLDER = /^(?:image|img|photo|picture|pic|graphic|untitled|alt|alt text|placeholder|screenshot)$/i;

function problem(alt: string | null | undefined): string | null {
  const text = (alt ?? '').trim();
  if (!text) return 'has no alt text';
  if (FILENAME.test(text)) return `has a file name as its alt text (${JSON.stringify(text)})`;
  if (PLACEHOLDER.test(text)) return `has placeholder alt text (${JSON.stringify(text)})`;
  if (text.length < MIN_ALT) return `has alt text too short to describe it (${JSON.stringify(text)})`;
  return null;
}

export function checkAltText(ctx: CheckContext): Finding[] {
  const images = (ctx.draft.media ?? []).map((m, i) => ({ ...m, position: i + 1 })).filter((m) => m.mime.toLowerCase().startsWith('image/'));
  if (images.length === 0) return [];
  const citation = cite(ctx.pack, RULES.accessibility);
  const total = ctx.draft.media?.length ?? 0;
  return images.flatMap((image) => {
    const what = problem(image.alt);
    if (!what) return [];
    const which = total > 1 ? `Image ${image.position} of ${total}` : 'The image';
    const alt = image.alt?.trim();
    return [
      finding({
        id: 'media.alt-text',
        severity: 'block',
        message:
          `${which} ${what}. Describe what it shows for people using screen readers: the ADA (Title II, WCAG 2.1 AA) requires a text alternative for every image the city publishes.` +
          policyNote(ctx.pack, citation),
        citation,
        ...(alt ? { excerpt: alt } : {}),
      }),
    ];
  });
}
