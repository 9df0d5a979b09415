// The append-only event log: every change anyone made, newest first, with the policy ids it relied
// on and the state before and after. "Older events" pages back through the log.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { dateTimeParts, shortDigest } from '../policyText.js';
import { useSignedIn } from '../session.js';
import type { EventRecord } from '../types.js';

const PAGE_SIZE = 50;

export function EventsPage() {
  const session = useSignedIn();
  const [events, setEvents] = useState<EventRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [hasMore, setHasMore] = useState(false);
  const [announce, setAnnounce] = useState('');

  const load = useCallback(async (before?: number) => {
    setLoading(true);
    setError(null);
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (before !== undefined) query.set('before', String(before));
      const page = await api.get<EventRecord[]>(`/api/events?${query.toString()}`);
      setEvents((prev) => (before === undefined ? page : [...prev, ...page]));
      setHasMore(page.length === PAGE_SIZE);
      if (before !== undefined) setAnnounce(`Loaded ${page.length} older ${page.length === 1 ? 'event' : 'events'}.`);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const last = events[events.length - 1];
  return (
    <Page title="Events" heading="Event log" lead={`Everything done in CivicDesk for ${session.city.name}, newest first. Entries are never changed or deleted.`}>
      <ApiErrorAlert error={error} />
      {loading && events.length === 0 ? <Loading what="events" /> : null}
      {events.length > 0 || !loading ? (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="events-caption">
          <table className="usa-table usa-table--striped width-full civic-events" data-testid="events-table">
            <caption id="events-caption">Events, newest first ({events.length} shown)</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">What, and on what</th>
                <th scope="col">Policy</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.length === 0 ? (
                <tr><td colSpan={5}>No events yet.</td></tr>
              ) : events.map((e) => <EventRow key={e.id} event={e} />)}
            </tbody>
          </table>
        </div>
      ) : null}
      <div role="status" className="usa-sr-only">{announce}</div>
      {hasMore && last ? (
        <button type="button" className="usa-button usa-button--outline margin-top-2" disabled={loading} onClick={() => void load(last.seq)}>
          {loading ? 'Loading…' : 'Older events'}
        </button>
      ) : null}
      {!hasMore && events.length > 0 ? <p className="text-base-dark">This is the start of the log.</p> : null}
    </Page>
  );
}

/** Lets long codes like `auth.totp_enrolment_started` wrap at their dots and underscores. */
function breakable(code: string): ReactNode[] {
  return code.split(/(?<=[._])/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

/** "Jane Doe <jane@city.gov>" → name and e-mail, so the column stays narrow. */
function splitActor(label: string): { name: string; email: string | null } {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(label);
  return m && m[1] && m[2] ? { name: m[1], email: m[2] } : { name: label, email: null };
}

function EventRow({ event: e }: { event: EventRecord }) {
  const hasDetails = e.before !== null || e.after !== null;
  const who = splitActor(e.actor);
  const when = dateTimeParts(e.createdAt);
  return (
    <tr data-action={e.action}>
      <th scope="row" className="text-normal civic-nowrap">
        <time dateTime={e.createdAt}>
          {when.date}
          <span className="display-block">{when.time}</span>
        </time>
        <span className="display-block font-sans-3xs text-base-dark">#{e.seq}</span>
      </th>
      <td className="civic-break">
        {who.name}
        {who.email ? <span className="display-block font-sans-3xs text-base-dark">{who.email}</span> : null}
      </td>
      <td className="civic-event-what">
        <code>{breakable(e.action)}</code>
        <span className="display-block font-sans-3xs text-base-dark">
          on {e.targetType} <code>{e.targetId.slice(0, 8)}</code>
          <span className="usa-sr-only"> (full id in details)</span>
        </span>
      </td>
      <td>{e.sources.length ? <Sources ids={e.sources} /> : <span className="text-base-dark">None</span>}</td>
      <td>
        <details className="civic-details">
          <summary>{hasDetails ? 'Before and after' : 'Details'}<span className="usa-sr-only"> for event {e.seq}</span></summary>
          {hasDetails ? (
            <dl className="margin-0">
              <dt className="text-bold">Before</dt>
              <dd className="margin-left-0"><pre>{JSON.stringify(e.before, null, 2)}</pre></dd>
              <dt className="text-bold">After</dt>
              <dd className="margin-left-0"><pre>{JSON.stringify(e.after, null, 2)}</pre></dd>
            </dl>
          ) : null}
          <p className="font-sans-3xs text-base-dark margin-y-05 civic-break">
            Target <code>{e.targetType} {e.targetId}</code>.
            {e.packVersion ? <> Policy version <code>{shortDigest(e.packVersion)}</code>.</> : null}
            {e.requestId ? <> Request <code>{e.requestId}</code>.</> : null}
          </p>
        </details>
      </td>
    </tr>
  );
}
