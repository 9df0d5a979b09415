// The moderation queue's table: one row per comment (a box to tick it for a bulk action, text
// linking to it, author, account, labels with evidence on demand, state, when received). The
// selected row is marked and only its link is in the tab order (a roving tabindex), so j/k on the
// page move focus between rows and x ticks the selected one.
import type { RefObject } from 'react';
import { Link } from 'react-router-dom';
import { excerpt } from '../contentText.js';
import { authorOf } from '../moderationText.js';
import type { QueueItem } from '../moderationTypes.js';
import { dateTimeParts } from '../policyText.js';
import { LabelTags, ModerationStateTag } from './ModerationBits.js';

export function QueueTable({ items, selected, tabbable, links, nameOf, filtered, onSelect, checked, onCheck }: {
  items: QueueItem[];
  selected: number;
  tabbable: number;
  links: RefObject<Array<HTMLAnchorElement | null>>;
  nameOf: (id: string, platform?: string) => string;
  filtered: boolean;
  onSelect: (index: number) => void;
  /** Comments ticked for a bulk action. */
  checked: ReadonlySet<string>;
  onCheck: (ids: string[], on: boolean) => void;
}) {
  const waiting = items.filter((i) => i.state === 'flagged' || i.state === 'escalated' || i.state === 'held').length;
  const allChecked = items.length > 0 && items.every((i) => checked.has(i.id));
  return (
    <div className="usa-table-container--scrollable civic-table-scroll">
      <table className="usa-table usa-table--striped width-full civic-results civic-queue" data-testid="queue" aria-describedby="queue-keys-hint">
        <caption className="usa-sr-only">Comments ({items.length}, {waiting} flagged, escalated or held)</caption>
        <thead>
          <tr>
            <th scope="col" className="civic-queue__tick">
              {items.length ? (
                <TickBox id="queue-tick-all" label={`Tick all ${items.length} comments shown`} checked={allChecked} onChange={(on) => onCheck(items.map((i) => i.id), on)} />
              ) : <span className="usa-sr-only">Tick</span>}
            </th>
            <th scope="col">Comment</th>
            <th scope="col">Author</th>
            <th scope="col">Account</th>
            <th scope="col">Labels</th>
            <th scope="col">State</th>
            <th scope="col">Received</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr><td colSpan={7}>{filtered ? 'No comment matches these filters.' : 'No comments to review.'}</td></tr>
          ) : items.map((item, i) => {
            const when = dateTimeParts(item.createdAt);
            return (
              <tr key={item.id} data-item={item.id} data-state={item.state} data-selected={i === selected ? 'true' : undefined}
                data-ticked={checked.has(item.id) ? 'true' : undefined} className={i === selected ? 'civic-queue__selected' : undefined}>
                <td className="civic-queue__tick">
                  <TickBox id={`queue-tick-${i}`} label={`Tick for a bulk action: ${excerpt(item.text, 60)}`} checked={checked.has(item.id)}
                    onChange={(on) => onCheck([item.id], on)} onFocus={() => onSelect(i)} />
                </td>
                <th scope="row">
                  <Link
                    ref={(el) => {
                      links.current[i] = el;
                    }}
                    className="usa-link civic-queue__link"
                    to={`/moderation/${encodeURIComponent(item.id)}`}
                    tabIndex={i === tabbable ? 0 : -1}
                    onFocus={() => onSelect(i)}
                  >
                    {excerpt(item.text, 140)}
                  </Link>
                </th>
                <td className="civic-break-any">{authorOf(item) ?? <span className="text-base-dark">Unknown</span>}</td>
                <td>{nameOf(item.accountId, item.platform)}</td>
                <td><LabelTags labels={item.labels} evidence={item.evidence} viewpoint={item.viewpoint} /></td>
                <td><ModerationStateTag state={item.state} /></td>
                <td><time dateTime={item.createdAt}>{when.date} <span className="civic-nowrap">{when.time}</span></time></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A USWDS checkbox whose label is for screen readers only (the row says what it is about). */
function TickBox({ id, label, checked, onChange, onFocus }: { id: string; label: string; checked: boolean; onChange: (on: boolean) => void; onFocus?: () => void }) {
  return (
    <div className="usa-checkbox civic-queue__check">
      <input className="usa-checkbox__input" id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} onFocus={onFocus} />
      <label className="usa-checkbox__label" htmlFor={id}><span className="usa-sr-only">{label}</span></label>
    </div>
  );
}
