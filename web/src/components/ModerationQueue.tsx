// The moderation queue's table: one row per comment (text linking to it, author, account, labels
// with evidence on demand, state, when received). The selected row is marked and only its link is
// in the tab order (a roving tabindex), so j/k on the page move focus between rows.
import type { RefObject } from 'react';
import { Link } from 'react-router-dom';
import { excerpt } from '../contentText.js';
import { authorOf } from '../moderationText.js';
import type { QueueItem } from '../moderationTypes.js';
import { dateTimeParts } from '../policyText.js';
import { LabelTags, ModerationStateTag } from './ModerationBits.js';

export function QueueTable({ items, selected, tabbable, links, nameOf, filtered, onSelect }: {
  items: QueueItem[];
  selected: number;
  tabbable: number;
  links: RefObject<Array<HTMLAnchorElement | null>>;
  nameOf: (id: string, platform?: string) => string;
  filtered: boolean;
  onSelect: (index: number) => void;
}) {
  const waiting = items.filter((i) => i.state === 'flagged' || i.state === 'escalated').length;
  return (
    <div className="usa-table-container--scrollable civic-table-scroll">
      <table className="usa-table usa-table--striped width-full civic-results civic-queue" data-testid="queue" aria-describedby="queue-keys-hint">
        <caption className="usa-sr-only">Comments ({items.length}, {waiting} flagged or escalated)</caption>
        <thead>
          <tr>
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
            <tr><td colSpan={6}>{filtered ? 'No comment matches these filters.' : 'No comments to review.'}</td></tr>
          ) : items.map((item, i) => {
            const when = dateTimeParts(item.createdAt);
            return (
              <tr key={item.id} data-item={item.id} data-state={item.state} data-selected={i === selected ? 'true' : undefined}
                className={i === selected ? 'civic-queue__selected' : undefined}>
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
