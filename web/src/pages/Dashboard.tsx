// The city at a glance: which policy pack is in force, when it must next be reviewed, and counts.
import { Link } from 'react-router-dom';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDate, shortDigest } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Dashboard, FailingCheck, RequestView } from '../types.js';
import { useApi } from '../useApi.js';

export function DashboardPage() {
  const session = useSignedIn();
  const { state } = useApi<Dashboard>('/api/dashboard');
  const compliance = useApi<FailingCheck[]>(hasPermission(session, 'account.view') ? '/api/compliance' : null);
  const queue = useApi<RequestView[]>('/api/requests?queue=mine');
  const first: ExtraCard[] = [];
  const last: ExtraCard[] = [];
  if (queue.state.status === 'ready' && queue.state.data.length > 0) {
    first.push({ label: 'Waiting for your decision', value: queue.state.data.length, to: '/requests', linkText: 'See your approvals' });
  }
  if (compliance.state.status === 'ready') {
    last.push({
      label: 'Failing compliance checks',
      value: compliance.state.data.filter((f) => f.check.status === 'fail').length,
      to: '/compliance',
      linkText: 'See what fails',
    });
  }
  return (
    <Page title="Dashboard" heading={state.status === 'ready' ? `${state.data.city.name} dashboard` : 'Dashboard'}>
      {state.status === 'loading' ? <Loading what="the dashboard" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? <DashboardBody data={state.data} can={(p) => hasPermission(session, p)} citySlug={session.city.slug} first={first} last={last} /> : null}
    </Page>
  );
}

/** Says where the review cycle comes from: the policy (with its ids), or CivicDesk's own reminder. */
function ReviewBasis({ sources }: { sources: string[] }) {
  return sources.length
    ? <>The policy requires this review. <Sources ids={sources} /></>
    : <>The policy itself sets no review date, so no policy id applies: this is CivicDesk's reminder to keep the policy current.</>;
}

function ReviewNotice({ review }: { review: Dashboard['review'] }) {
  const sources = review?.sources ?? [];
  if (!review?.nextReviewDue) {
    return (
      <Alert kind="info" heading="No review date set" headingLevel={2} role="region" id="review">
        <p className="margin-0">This policy pack sets no date for its next review. <Sources ids={sources} /></p>
      </Alert>
    );
  }
  const due = formatDate(review.nextReviewDue);
  if (review.overdue) {
    return (
      <Alert kind="warning" heading="Policy review overdue" headingLevel={2} role="region" id="review">
        <p className="margin-0" data-testid="review-due">
          The social media policy was due for review on <strong>{due}</strong>. <ReviewBasis sources={sources} />
        </p>
      </Alert>
    );
  }
  const days = review.daysUntil;
  return (
    <Alert kind="info" heading="Next policy review" headingLevel={2} role="region" id="review">
      <p className="margin-0" data-testid="review-due">
        Due <strong>{due}</strong>{typeof days === 'number' ? ` (in ${days} ${days === 1 ? 'day' : 'days'})` : ''}. <ReviewBasis sources={sources} />
      </p>
    </Alert>
  );
}

interface ExtraCard {
  label: string;
  value: number;
  to: string | null;
  linkText: string;
}

function DashboardBody({ data, can, citySlug, first, last }: {
  data: Dashboard;
  can: (permission: string) => boolean;
  citySlug: string;
  /** Before the city's counts (what waits for this person) and after them (compliance). */
  first: ExtraCard[];
  last: ExtraCard[];
}) {
  const { city, pack, counts } = data;
  const cards: ExtraCard[] = [
    ...first,
    { label: 'Active staff', value: counts.staff, to: can('staff.view') ? '/people' : null, linkText: 'See people' },
    { label: 'Departments', value: counts.departments, to: can('staff.view') ? '/people#departments' : null, linkText: 'See departments' },
    { label: 'Recorded events', value: counts.events, to: can('events.view') ? '/events' : null, linkText: 'See the event log' },
    ...last,
  ];
  return (
    <>
      <p className="usa-intro margin-top-1">
        {city.name}{city.state ? `, ${city.state}` : ''}
        {city.website ? <> · <a className="usa-link" href={city.website}>City website</a></> : null}
      </p>
      <ReviewNotice review={data.review} />

      <section className="usa-summary-box margin-y-3" aria-labelledby="pack-heading">
        <div className="usa-summary-box__body">
          <h2 className="usa-summary-box__heading" id="pack-heading">Policy in force</h2>
          <div className="usa-summary-box__text">
            <p className="margin-top-0 text-bold">{pack.title}</p>
            <dl className="civic-dl">
              <div><dt>Pack</dt><dd><code>{pack.id}</code></dd></div>
              <div><dt>Version</dt><dd>{pack.version}</dd></div>
              <div>
                <dt>Digest</dt>
                <dd>
                  <code title={pack.digest}>{shortDigest(pack.digest)}</code>
                  <span className="usa-sr-only"> (first 12 characters of SHA-256 {pack.digest})</span>
                </dd>
              </div>
            </dl>
            {can('pack.view') ? (
              <p className="margin-bottom-0">
                <Link className="usa-summary-box__link" to="/policy">Read the policy summary</Link> · <Link className="usa-summary-box__link" to="/roles">See roles and approvals</Link>
              </p>
            ) : null}
          </div>
        </div>
      </section>

      <h2>At a glance</h2>
      <ul className="usa-card-group" aria-label="Counts">
        {cards.map((card) => (
          <li key={card.label} className="usa-card tablet:grid-col-4">
            <div className="usa-card__container">
              <div className="usa-card__header">
                <h3 className="usa-card__heading">{card.label}</h3>
              </div>
              <div className="usa-card__body">
                <p className="civic-count" data-testid={`count-${card.label.toLowerCase().replace(/\s+/g, '-')}`}>{card.value}</p>
              </div>
              {card.to ? (
                <div className="usa-card__footer">
                  <Link className="usa-link" to={card.to}>{card.linkText}</Link>
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ul>

      <h2>Public pages</h2>
      <p>Every official city account links to these pages.</p>
      <ul className="usa-list">
        <li><a className="usa-link" href={`/p/${encodeURIComponent(citySlug)}/acceptable-use`}>Acceptable Use statement</a></li>
        <li><a className="usa-link" href={`/p/${encodeURIComponent(citySlug)}/policy`}>Public policy summary</a></li>
      </ul>
    </>
  );
}
