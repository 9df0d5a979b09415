// Pieces the moderation pages share: the state tag, the "criticises the city — protected speech"
// warning tag, and the classifier's labels as tags whose evidence opens on demand.
import { evidenceFor, labelWords, moderationStateTone, moderationStateWords } from '../moderationText.js';
import { StatusTag } from './AccountBits.js';

export function ModerationStateTag({ state, testId }: { state: string; testId?: string }) {
  return <StatusTag tone={moderationStateTone(state)} testId={testId}>{moderationStateWords(state)}</StatusTag>;
}

/** Shown whenever the classifier found criticism of the city: a warning, never a reason to remove. */
export function ViewpointTag() {
  return (
    <span className="usa-tag civic-status civic-status--warn civic-viewpoint" data-testid="viewpoint-tag">
      Criticises the city — protected speech
    </span>
  );
}

/**
 * The classifier's labels, each a disclosure: the tag names the category, opening it shows the
 * evidence the classifier recorded for it.
 */
export function LabelTags({ labels, evidence, viewpoint }: { labels: readonly string[]; evidence: unknown; viewpoint: boolean }) {
  if (labels.length === 0 && !viewpoint) return <span className="text-base-dark">None</span>;
  return (
    <ul className="civic-labels" data-testid="labels">
      {viewpoint ? <li><ViewpointTag /></li> : null}
      {labels.map((label) => {
        const lines = evidenceFor(evidence, label);
        return (
          <li key={label} data-label={label}>
            <details className="civic-evidence">
              <summary>
                <span className="usa-tag civic-status civic-status--info">{labelWords(label)}</span>
                <span className="civic-evidence__more"> evidence</span>
              </summary>
              {lines.length ? (
                <ul className="usa-list civic-evidence__list" data-testid="evidence">
                  {lines.map((line, i) => <li key={`${i}-${line}`}>{line}</li>)}
                </ul>
              ) : <p className="margin-y-05" data-testid="evidence">The classifier recorded no evidence for this label.</p>}
            </details>
          </li>
        );
      })}
    </ul>
  );
}
