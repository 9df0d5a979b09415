// What checking a draft against the city's policy found, grouped by severity: what blocks
// submission, what the approver must acknowledge, and hints. Each finding shows its message, the
// policy's own words, the part of the draft that triggered it and the POLICY-MAP ids behind it.
import { platformWords } from '../accountText.js';
import { SEVERITY_ORDER, SEVERITY_WORDS } from '../contentText.js';
import type { Finding, FindingSeverity } from '../contentTypes.js';
import { Sources } from './Sources.js';

const BORDER: Record<FindingSeverity, string> = { block: 'border-secondary-vivid', acknowledge: 'border-accent-warm-dark', hint: 'border-base' };

/** One finding; `withMessage` false when its message is shown elsewhere (a checkbox's label). */
export function FindingItem({ finding, withMessage = true }: { finding: Finding; withMessage?: boolean }) {
  return (
    <div className={`border-left-05 ${BORDER[finding.severity]} padding-left-2`}>
      {withMessage ? (
        <p className="margin-y-05">
          {finding.message}
          {finding.variant ? <span className="text-normal"> (in the {platformWords(finding.variant)} text)</span> : null}
        </p>
      ) : null}
      {finding.clause ? (
        <blockquote className="civic-quote margin-y-1" data-testid="finding-clause">
          <span className="usa-sr-only">The policy says: </span>“{finding.clause}”
        </blockquote>
      ) : null}
      {finding.excerpt ? (
        <p className="margin-y-05" data-testid="finding-excerpt">
          Offending text: <mark className="civic-break-any">{finding.excerpt}</mark>
        </p>
      ) : null}
      <p className="margin-y-05"><Sources ids={finding.sources} /></p>
    </div>
  );
}

/** The findings in groups; `headingLevel` is that of the group headings. */
export function FindingsList({ findings, headingLevel = 3, empty = 'Nothing found: the draft meets every rule CivicDesk checks.' }: {
  findings: Finding[];
  headingLevel?: 2 | 3;
  empty?: string;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  if (findings.length === 0) return <p data-testid="no-findings">{empty}</p>;
  return (
    <div data-testid="findings">
      {SEVERITY_ORDER.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <div key={severity} data-severity={severity} data-testid={`findings-${severity}`}>
            <H className="margin-bottom-1">{SEVERITY_WORDS[severity].heading} ({group.length})</H>
            <ul className="usa-list usa-list--unstyled">
              {group.map((f, i) => (
                <li key={`${f.id}-${f.variant ?? ''}-${i}`} className="margin-bottom-2" data-finding={f.id}>
                  <FindingItem finding={f} />
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

/** "1 blocks submission, 2 need the approver's acknowledgement, 1 hint", for live announcements. */
export function findingsSummary(findings: Finding[]): string {
  if (findings.length === 0) return 'Policy check: nothing found.';
  const n = (s: FindingSeverity) => findings.filter((f) => f.severity === s).length;
  const parts = [
    n('block') ? `${n('block')} ${n('block') === 1 ? 'blocks' : 'block'} submission` : null,
    n('acknowledge') ? `${n('acknowledge')} ${n('acknowledge') === 1 ? 'needs' : 'need'} the approver's acknowledgement` : null,
    n('hint') ? `${n('hint')} ${n('hint') === 1 ? 'hint' : 'hints'}` : null,
  ].filter(Boolean);
  return `Policy check: ${parts.join(', ')}.`;
}
