// How long a text is against each target platform's limit, counted the way that platform counts
// (Bluesky: graphemes). Over a limit, the count says by how much, in words as well as colour.
import { limitFor } from '../contentText.js';

export function CharacterCounts({ id, text, platforms }: { id: string; text: string; platforms: readonly string[] }) {
  const limits = platforms.map(limitFor).filter((l): l is NonNullable<typeof l> => Boolean(l));
  if (limits.length === 0) return null;
  return (
    <ul id={id} className="usa-list usa-list--unstyled margin-top-05 font-sans-2xs" data-testid="character-counts">
      {limits.map((l) => {
        const n = l.count(text);
        const over = n - l.max;
        return (
          <li key={l.platform} data-platform={l.platform} data-count={n} className={over > 0 ? 'civic-text-bad text-bold' : undefined}>
            {l.name}: {n.toLocaleString('en-US')} of {l.max.toLocaleString('en-US')} {l.unit}
            {over > 0 ? ` (${over.toLocaleString('en-US')} too many)` : ''}
          </li>
        );
      })}
    </ul>
  );
}
