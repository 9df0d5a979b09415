// Content calendar: the month's scheduled posts on the day they are due and its published posts on
// the day they went out, in the browser's time zone, a month at a time (?month=YYYY-MM, so a month
// can be linked to and Back returns to the previous one).
//
// Two views of the same posts, on purpose:
// - a <table> month grid (caption, weekday column headers, each cell naming its full date) for
//   screens 640 px and wider; below that seven columns are too narrow to read, so it is hidden
//   (display: none, which also takes it out of the accessibility tree);
// - an ordered list of the month's posts, earliest first, always shown after the grid. It is the
//   whole view on a phone, and everywhere it gives screen-reader and keyboard users a linear
//   reading without stepping cell by cell through empty days. It is visible rather than
//   visually hidden, so its links never take focus where a sighted keyboard user cannot see it.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { StatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import {
  addMonths, dayKey, monthEntries, monthKey, monthOf, monthWeeks, parseMonthKey, WEEKDAYS, type CalendarEntry, type Month,
} from '../calendar.js';
import { draftStatusTone, draftStatusWords, excerpt } from '../contentText.js';
import type { DraftView } from '../contentTypes.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';
import './ContentCalendar.css';

const monthWords = (m: Month) => new Date(m.year, m.month, 1).toLocaleDateString('en-US', { month: 'long', year: 'numeric' });
const dayWords = (key: string) => new Date(`${key}T12:00:00`).toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const timeWords = (iso: string) => new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });

function countWords(entries: Array<CalendarEntry<DraftView>>): string {
  const scheduled = entries.filter((e) => e.draft.status === 'scheduled').length;
  return `${scheduled} scheduled, ${entries.length - scheduled} published`;
}

export function ContentCalendarPage() {
  const drafts = useApi<DraftView[]>('/api/content/drafts');
  const accountName = useAccountNames();
  const [params, setParams] = useSearchParams();
  const [announcement, setAnnouncement] = useState('');
  const now = new Date();
  const today = dayKey(now);
  const month = parseMonthKey(params.get('month')) ?? monthOf(now);
  const all = drafts.state.status === 'ready' ? drafts.state.data : [];
  const entries = monthEntries(all, month);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // Focus stays on the button pressed; the status region says where it went.
  const go = (to: Month) => {
    setParams({ month: monthKey(to) });
    setAnnouncement(`Showing ${monthWords(to)}: ${countWords(monthEntries(all, to))}.`);
  };

  return (
    <Page title="Content calendar" lead={`Scheduled posts on the day they are due to go out, published posts on the day they went out. Days and times are in your time zone (${zone}).`}>
      <p><Link className="usa-link" to="/content">Back to the content queue</Link></p>
      <div className="display-flex flex-wrap flex-align-center margin-y-2">
        <h2 id="calendar-month" className="margin-y-1 margin-right-3" data-testid="calendar-month">{monthWords(month)}</h2>
        <ul className="usa-button-group">
          <li className="usa-button-group__item"><button type="button" className="usa-button usa-button--outline" onClick={() => go(addMonths(month, -1))}>Previous month</button></li>
          <li className="usa-button-group__item"><button type="button" className="usa-button usa-button--outline" onClick={() => go(monthOf(new Date()))}>This month</button></li>
          <li className="usa-button-group__item"><button type="button" className="usa-button usa-button--outline" onClick={() => go(addMonths(month, 1))}>Next month</button></li>
        </ul>
      </div>
      <div role="status" className="usa-sr-only">{announcement}</div>
      {drafts.state.status === 'loading' ? <Loading what="posts" /> : null}
      {drafts.state.status === 'error' ? <ApiErrorAlert error={drafts.state.error} /> : null}
      {drafts.state.status === 'ready' ? (
        <>
          <div className="display-none tablet:display-block">
            <MonthGrid month={month} entries={entries} today={today} />
          </div>
          <section aria-labelledby="calendar-list-heading" className="margin-top-4">
            <h2 id="calendar-list-heading">Every post in {monthWords(month)}, in order</h2>
            {entries.length === 0 ? <p>Nothing is scheduled or published in {monthWords(month)}.</p> : (
              <ol className="usa-list" data-testid="calendar-list">
                {entries.map((e) => (
                  <li key={e.draft.id} data-draft={e.draft.id} className="margin-bottom-1">
                    <time dateTime={e.at}>{dayWords(e.key)}, {timeWords(e.at)}</time>:{' '}
                    <Link className="usa-link" to={`/content/${encodeURIComponent(e.draft.id)}`}>{excerpt(e.draft.text)}</Link>{' '}
                    <StatusTag tone={draftStatusTone(e.draft.status)}>{draftStatusWords(e.draft.status)}</StatusTag>
                    {e.draft.accountIds.length ? <span className="display-block text-base-dark">To {e.draft.accountIds.map((id) => accountName(id)).join(', ')}</span> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      ) : null}
    </Page>
  );
}

function MonthGrid({ month, entries, today }: { month: Month; entries: Array<CalendarEntry<DraftView>>; today: string }) {
  return (
    <table className="usa-table civic-calendar" data-testid="calendar-grid">
      <caption className="usa-sr-only">Posts in {monthWords(month)} ({countWords(entries)})</caption>
      <thead>
        <tr>
          {WEEKDAYS.map((w) => (
            <th key={w} scope="col"><span aria-hidden="true">{w.slice(0, 3)}</span><span className="usa-sr-only">{w}</span></th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthWeeks(month).map((week, i) => (
          <tr key={i}>
            {week.map((day, j) => {
              if (!day) return <td key={`empty-${j}`} className="civic-calendar__outside" />;
              const isToday = day.key === today;
              const items = entries.filter((e) => e.key === day.key);
              return (
                <td key={day.key} data-date={day.key} aria-current={isToday ? 'date' : undefined} className={isToday ? 'civic-calendar__today' : undefined}>
                  <span className="civic-calendar__day" aria-hidden="true">{day.day}{isToday ? ' · Today' : ''}</span>
                  <span className="usa-sr-only">{dayWords(day.key)}{isToday ? ' (today)' : ''}{items.length ? '' : ': nothing'}</span>
                  {items.length ? (
                    <ul className="usa-list usa-list--unstyled">
                      {items.map((e) => (
                        <li key={e.draft.id} data-draft={e.draft.id}>
                          <Link className="usa-link" to={`/content/${encodeURIComponent(e.draft.id)}`}>{excerpt(e.draft.text, 40)}</Link>
                          <span className="display-block">
                            <StatusTag tone={draftStatusTone(e.draft.status)}>{draftStatusWords(e.draft.status)}</StatusTag>{' '}
                            <time dateTime={e.at}>{timeWords(e.at)}</time>
                          </span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
