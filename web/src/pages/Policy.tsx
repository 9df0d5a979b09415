// The city's social media policy as CivicDesk enforces it: comment moderation, account security,
// training, records retention, the review cycle, and the Acceptable Use clauses. Every rule shows
// the POLICY-MAP ids it encodes.
import type { ReactNode } from 'react';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { categoryWords, formatDate, gateWords, roleList, roleTitle, shortDigest } from '../policyText.js';
import type { PolicyPack, PolicyResponse, Security } from '../types.js';
import { useApi } from '../useApi.js';

export function PolicyPage() {
  const { state } = useApi<PolicyResponse>('/api/policy');
  return (
    <Page title="Policy" heading="Policy summary" lead="The rules of the city's adopted social media policy that CivicDesk enforces.">
      {state.status === 'loading' ? <Loading what="the policy" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? <PolicyBody pack={state.data.pack} digest={state.data.digest} /> : null}
    </Page>
  );
}

const SECTIONS = [
  ['moderation', 'Comments and moderation'],
  ['security', 'Account security'],
  ['training', 'Training'],
  ['retention', 'Records retention'],
  ['review', 'Policy review'],
  ['acceptable-use', 'Acceptable Use'],
] as const;

function Rule({ children, sources }: { children: ReactNode; sources?: string[] }) {
  return (
    <li>
      {children} {sources ? <Sources ids={sources} /> : null}
    </li>
  );
}

function PolicyBody({ pack, digest }: { pack: PolicyPack; digest: string }) {
  return (
    <>
      <section className="usa-summary-box margin-y-3" aria-labelledby="source-heading">
        <div className="usa-summary-box__body">
          <h2 className="usa-summary-box__heading" id="source-heading">{pack.title}</h2>
          <div className="usa-summary-box__text">
            <p className="margin-top-0">
              {pack.source.document}
              {pack.source.adopted ? `, adopted ${formatDate(pack.source.adopted)}` : ' (a model policy, not adopted as written by a city)'}
              {pack.source.resolution ? ` (${pack.source.resolution})` : ''}.
            </p>
            <p className="margin-bottom-0">
              Pack <code>{pack.id}</code>, version {pack.version}, digest <code title={digest}>{shortDigest(digest)}</code>.
            </p>
            {pack.city.placeholder ? (
              <p className="margin-bottom-0 text-bold">This policy names no city: its city details are placeholders.</p>
            ) : null}
          </div>
        </div>
      </section>

      <nav aria-label="On this page" className="margin-bottom-3">
        <ul className="usa-list">
          {SECTIONS.map(([id, label]) => (
            <li key={id}><a className="usa-link" href={`#${id}`}>{label}</a></li>
          ))}
        </ul>
      </nav>

      <Moderation pack={pack} />
      <SecuritySection pack={pack} security={pack.security} />
      <TrainingSection pack={pack} />
      <RetentionSection pack={pack} />
      <ReviewSection pack={pack} />
      <AcceptableUse pack={pack} />
    </>
  );
}

function Moderation({ pack }: { pack: PolicyPack }) {
  const m = pack.moderation;
  return (
    <section aria-labelledby="moderation" className="margin-top-5">
      <h2 id="moderation">Comments and moderation</h2>
      <ul className="usa-list">
        <Rule sources={m.sources}>Who answers the public for the city: {roleList(pack, m.responders)}.</Rule>
        {m.fallbackResponders?.length ? (
          <Rule sources={m.sources}>When none of them is available: {roleList(pack, m.fallbackResponders)}.</Rule>
        ) : null}
        {m.reportTo?.length ? (
          <Rule sources={m.sources}>Staff report an inappropriate post to, in order: {roleList(pack, m.reportTo)}.</Rule>
        ) : null}
        <Rule sources={m.sources}>Who may hide or remove a comment: {roleList(pack, m.hideDelete)}.</Rule>
        {m.removalRequiresAttorneyApproval ? (
          <Rule sources={m.sources}>
            A comment is removed only after the {m.attorneyRole ? roleTitle(pack, m.attorneyRole) : 'city attorney'} has reviewed it and approved the removal.
          </Rule>
        ) : null}
        <Rule sources={m.sources}>{m.preModeration ? 'Comments are held for review before they appear, where the platform allows it.' : 'Comments appear without pre-moderation.'}</Rule>
        {m.publicPostingDisabled ? <Rule sources={m.sources}>The public cannot post on the city's sites; residents reach the city through its other contact routes.</Rule> : null}
        <Rule sources={m.sources}>Staff never edit a comment: an edited comment is no longer the record the commenter made.</Rule>
        <Rule sources={m.sources}>A removed comment is kept as a public record.</Rule>
      </ul>
      {m.notes ? <p className="text-base-dark">{m.notes}</p> : null}
    </section>
  );
}

function passwordWords(p: Security['password']): string {
  const needs: string[] = [];
  if (p.minLength > 0) needs.push(`at least ${p.minLength} characters`);
  if (p.requireUpper) needs.push('an upper-case letter');
  if (p.requireLower) needs.push('a lower-case letter');
  if (p.requireDigit) needs.push('a digit');
  if (p.requireSymbol) needs.push('a symbol');
  const base = needs.length ? `Passwords need ${needs.join(', ')}.` : 'The policy sets no password complexity rules.';
  return p.notReusedAcrossAccounts ? `${base} A password is never reused across accounts.` : base;
}

function SecuritySection({ pack, security: s }: { pack: PolicyPack; security: Security }) {
  const src = s.sources;
  return (
    <section aria-labelledby="security" className="margin-top-5">
      <h2 id="security">Account security</h2>
      <ul className="usa-list">
        <Rule sources={src}>
          {s.twoFactorRequired
            ? `Two-step verification is required on every account${s.twoFactorAttestationDays ? `, re-confirmed every ${s.twoFactorAttestationDays} days` : ''}.`
            : 'The policy does not require two-step verification on platform accounts (CivicDesk itself still requires it for staff).'}
        </Rule>
        <Rule sources={src}>{passwordWords(s.password)}</Rule>
        {s.itAdminOnEveryAccount ? (
          <Rule sources={src}>The {s.itAdminRole ? roleTitle(pack, s.itAdminRole) : 'IT administrator'} is an administrator on every account.</Rule>
        ) : null}
        {s.signupEmailDomainRequired ? <Rule sources={src}>Accounts are opened with a city e-mail address (@{pack.city.emailDomain}).</Rule> : null}
        {s.noRememberMe ? <Rule sources={src}>Never use "remember me" when signing in.</Rule> : null}
        {s.noSavedPasswords ? <Rule sources={src}>Never let a browser save a password.</Rule> : null}
        {s.instantMessagingProhibited ? <Rule sources={src}>Do not use the platforms' instant messaging for city business.</Rule> : null}
        {s.cityEquipmentOnly ? <Rule sources={src}>Use only city equipment to run city accounts.</Rule> : null}
        {s.credentialsCustodianRole ? (
          <Rule sources={src}>The {roleTitle(pack, s.credentialsCustodianRole)} keeps the sign-in details of every account.</Rule>
        ) : null}
        {s.vandalismNotifyRole ? (
          <Rule sources={src}>Report a hacked or vandalised account to the {roleTitle(pack, s.vandalismNotifyRole)} at once.</Rule>
        ) : null}
      </ul>
      {s.notes ? <p className="text-base-dark">{s.notes}</p> : null}
    </section>
  );
}

function TrainingSection({ pack }: { pack: PolicyPack }) {
  return (
    <section aria-labelledby="training" className="margin-top-5">
      <h2 id="training">Training</h2>
      {pack.training.length === 0 ? <p>The policy requires no training.</p> : (
        <ul className="usa-list">
          {pack.training.map((t) => (
            <li key={t.id} className="margin-bottom-2">
              <strong>{t.title}</strong>: required before {t.requiredFor.map(gateWords).join(', ')}
              {t.renewEveryMonths ? `; renewed every ${t.renewEveryMonths} months` : ''}
              {t.providedBy ? `; given by the ${roleTitle(pack, t.providedBy)}` : ''}. <Sources ids={t.sources} />
              <br />
              <span className="text-base-dark">Covers: {t.topics.join('; ')}.</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RetentionSection({ pack }: { pack: PolicyPack }) {
  return (
    <section aria-labelledby="retention" className="margin-top-5">
      <h2 id="retention">Records retention</h2>
      <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="retention-caption">
        <table className="usa-table usa-table--borderless width-full">
          <caption id="retention-caption">How long each kind of record is kept</caption>
          <thead>
            <tr>
              <th scope="col">Records</th>
              <th scope="col">Kept for</th>
              <th scope="col">Authority</th>
              <th scope="col">Policy</th>
            </tr>
          </thead>
          <tbody>
            {pack.retention.map((r) => (
              <tr key={r.series}>
                <th scope="row">{r.label}{r.notes ? <span className="display-block text-normal text-base-dark">{r.notes}</span> : null}</th>
                <td>{r.retainYears === 'permanent' ? 'Permanently' : `${r.retainYears} ${r.retainYears === 1 ? 'year' : 'years'}`}</td>
                <td>{r.authority}</td>
                <td><Sources ids={r.sources} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pack.archiving ? (
        <p>
          {pack.archiving.requiredBeforeGoLive ? 'Every account is archived from the day it goes live. ' : ''}
          Archive: {pack.archiving.storage}{pack.archiving.tool ? ` (${pack.archiving.tool})` : ''}. <Sources ids={pack.archiving.sources} />
        </p>
      ) : null}
    </section>
  );
}

function ReviewSection({ pack }: { pack: PolicyPack }) {
  const r = pack.review;
  if (!r) {
    return (
      <section aria-labelledby="review" className="margin-top-5">
        <h2 id="review">Policy review</h2>
        <p>The policy sets no review cycle.</p>
      </section>
    );
  }
  const cited = r.sources.length > 0;
  const basis = cited ? null : <span className="text-base-dark"> (not required by the policy, so no policy id applies: a CivicDesk reminder)</span>;
  return (
    <section aria-labelledby="review" className="margin-top-5">
      <h2 id="review">Policy review</h2>
      <ul className="usa-list">
        <Rule sources={r.sources}>{r.description}</Rule>
        <Rule sources={r.sources}>
          Reviewed every {r.cycleMonths} months by the {roleTitle(pack, r.reviewerRole)}
          {r.adoptedOn ? `; adopted ${formatDate(r.adoptedOn)}` : ''}.{basis}
        </Rule>
        <Rule sources={r.sources}>
          {r.nextReviewDue ? (
            <>
              Next review due <strong>{formatDate(r.nextReviewDue)}</strong>
              {r.nextReviewDue < new Date().toISOString().slice(0, 10) ? <strong className="text-secondary-dark"> (overdue)</strong> : null}.
            </>
          ) : 'No date is set for the next review.'}
        </Rule>
      </ul>
    </section>
  );
}

function AcceptableUse({ pack }: { pack: PolicyPack }) {
  const aup = pack.acceptableUse;
  return (
    <section aria-labelledby="acceptable-use" className="margin-top-5">
      <h2 id="acceptable-use">Acceptable Use</h2>
      <h3>What the city's sites are for</h3>
      <p>{aup.forumPurpose} <Sources ids={aup.sources} /></p>
      {aup.statement ? (
        <>
          <h3>Published statement</h3>
          <details className="civic-details civic-statement">
            <summary>Read the full statement, as adopted ({aup.statement.split(/\s+/).length} words)</summary>
            <blockquote className="civic-quote">{aup.statement}</blockquote>
          </details>
        </>
      ) : null}
      {aup.mustAppearOnEverySite ? <p>This statement must appear on, or be linked from, every official site. <Sources ids={aup.sources} /></p> : null}
      <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="aup-caption">
        <table className="usa-table usa-table--striped width-full" data-testid="aup-clauses">
          <caption id="aup-caption">Grounds on which a comment may be removed ({aup.clauses.length})</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Rule</th>
              <th scope="col">Policy</th>
            </tr>
          </thead>
          <tbody>
            {aup.clauses.map((c) => (
              <tr key={c.id}>
                <th scope="row">{categoryWords(c.category)}</th>
                <td>{c.text}</td>
                <td><Sources ids={c.sources} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {aup.notes ? <p className="text-base-dark">{aup.notes}</p> : null}
      <p>Comments are never removed because they criticise the city, its officials or its policies: only on the grounds above. <Sources ids={aup.sources} /></p>
    </section>
  );
}
