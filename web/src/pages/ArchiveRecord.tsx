// One archived record with everything kept about it: its fields and text, where it sits in the
// Merkle log and the proof that a signed checkpoint includes it, the raw payload and evidence to
// download byte for byte, the legal holds covering it, its retention date, and, if a disposition
// destroyed its content, when, by whom and why.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  authorWords, bytesWords, kindWords, recordPath, retentionSourceWords, seriesWords, threadIdOf, threadPath,
} from '../archiveText.js';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { BackLink, Hash, RecordBadges, When, useCameFrom } from '../components/Archive.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDate } from '../policyText.js';
import type { ArchiveRecord, ArchiveRecordResponse, InclusionProof, RecordRetention } from '../types.js';
import { useApi } from '../useApi.js';

export function ArchiveRecordPage() {
  const { id = '' } = useParams();
  const { state } = useApi<ArchiveRecordResponse>(`/api/archive/records/${encodeURIComponent(id)}`);
  const from = useCameFrom();
  if (state.status !== 'ready') {
    return (
      <Page title="Archived record">
        <BackLink to={from} />
        {state.status === 'loading' ? <Loading what="the record" /> : <ApiErrorAlert error={state.error} />}
      </Page>
    );
  }
  const { record, proof, holds, retention, sources } = state.data;
  const kind = kindWords(record.kind);
  return (
    <Page
      title={`Archived ${kind.toLowerCase()}, record ${record.leafIndex}`}
      heading={<>Archived {kind.toLowerCase()} <span className="text-base-dark text-normal">(record {record.leafIndex})</span></>}
    >
      <BackLink to={from} />
      <p className="usa-intro margin-top-1">
        Kept as a public record, unchanged since capture. <Sources ids={sources} />
      </p>
      <RecordBadges holds={holds ?? []} destroyed={record.destroyed !== null} />
      {record.destroyed ? (
        <Alert kind="warning" heading="Destroyed under the retention schedule" role="region" id="destroyed">
          <div data-testid="destroyed">
            <p className="margin-top-0">
              Its text, author, payload and evidence were destroyed on <When iso={record.destroyed.at} /> with the approval
              of {approverName(record.destroyed.approvedBy)}.
            </p>
            <p>Reason given: <q>{record.destroyed.reason || 'none'}</q></p>
            <p className="margin-bottom-0">
              Its leaf hash stays in the log, so the archive still verifies, and the <Link className="usa-link" to="/archive/retention#log-heading">disposition log</Link> keeps the approval.
            </p>
          </div>
        </Alert>
      ) : null}

      <RecordText record={record} />
      <RecordFields record={record} />
      <Downloads record={record} />
      <LogPosition record={record} proof={proof} />

      <section className="margin-top-5" aria-labelledby="holds-heading">
        <h2 id="holds-heading">Legal holds</h2>
        {holds === undefined ? (
          <p>See the <Link className="usa-link" to="/archive/holds">legal holds</Link> in force.</p>
        ) : holds.length === 0 ? (
          <p>No legal hold covers this record.</p>
        ) : (
          <ul className="usa-list" data-testid="record-holds">
            {holds.map((h) => (
              <li key={h.id}>
                <Link className="usa-link" to={`/archive/holds#hold-${encodeURIComponent(h.id)}`}>{h.name}</Link>
                {h.reason ? <>: {h.reason}</> : null}
                {h.createdAt ? <> (placed <When iso={h.createdAt} />)</> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="margin-top-5" aria-labelledby="retention-heading">
        <h2 id="retention-heading">Retention</h2>
        {retention ? (
          <p data-testid="record-retention">
            <RetentionSentence retention={retention} destroyed={record.destroyed !== null} />
            {retention.scheduleItem ? <> Schedule item: {retention.scheduleItem}.</> : null}
            {holds && holds.length > 0 && !record.destroyed ? <> While a legal hold covers it, it cannot be destroyed.</> : null}
            {' '}<Link className="usa-link" to="/archive/retention">See the retention schedule</Link>.
          </p>
        ) : (
          <p>Series: {seriesWords(record.series)}. See the <Link className="usa-link" to="/archive/retention">retention schedule</Link>.</p>
        )}
      </section>
    </Page>
  );
}

/** "Demo City Clerk <clerk@city.gov>" → "Demo City Clerk (clerk@city.gov)". */
function approverName(label: string): string {
  if (!label) return 'an unnamed approver';
  const m = /^(.*?)\s*<([^>]+)>$/.exec(label);
  return m && m[1] && m[2] ? `${m[1]} (${m[2]})` : label;
}

const SOURCE_SENTENCE: Record<string, string> = {
  clerk: 'The City Clerk set this period from the records retention schedule.',
  pack: 'The period comes from the city\'s policy pack.',
  none: 'Neither the policy pack nor the City Clerk has set a period for this series.',
};

function RetentionSentence({ retention, destroyed }: { retention: RecordRetention; destroyed: boolean }) {
  const series = retention.series;
  const source = SOURCE_SENTENCE[retention.source] ?? `Period: ${retentionSourceWords(retention.source)}.`;
  if (!retention.retainUntil) {
    return <>Kept until a retention period is set for its series (<code>{series}</code>): nothing in it can be disposed of before then. {source}</>;
  }
  const ended = retention.retainUntil <= new Date().toISOString();
  if (ended || destroyed) {
    return <>Its retention period under the <code>{series}</code> series ended on <strong>{formatDate(retention.retainUntil)}</strong>. {source}</>;
  }
  return <>Kept at least until <strong>{formatDate(retention.retainUntil)}</strong> under the <code>{series}</code> series. {source}</>;
}

function RecordText({ record }: { record: ArchiveRecord }) {
  if (record.destroyed) return null;
  if (record.text === null || record.text === '') return <p className="text-base-dark">This record has no text; its raw payload is below.</p>;
  return (
    <section aria-labelledby="text-heading">
      <h2 id="text-heading" className="usa-sr-only">Text</h2>
      <blockquote className="civic-quote civic-record-text" data-testid="record-text">{record.text}</blockquote>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="civic-break-any">{children}</td>
    </tr>
  );
}

function Missing() {
  return <span className="text-base-dark">None</span>;
}

function RecordFields({ record: r }: { record: ArchiveRecord }) {
  const thread = threadIdOf(r);
  const author = authorWords(r.author);
  return (
    <section className="margin-top-4" aria-labelledby="fields-heading">
      <h2 id="fields-heading">Record</h2>
      <table className="usa-table usa-table--borderless usa-table--compact civic-fields" data-testid="record-fields">
        <caption className="usa-sr-only">Fields of this record</caption>
        <tbody>
          <Row label="Kind">{kindWords(r.kind)} <code className="font-sans-3xs">{r.kind}</code></Row>
          <Row label="Series">{seriesWords(r.series)} <code className="font-sans-3xs">{r.series}</code></Row>
          <Row label="Platform">{r.platform ?? <Missing />}</Row>
          <Row label="Account">{r.accountId ? <code>{r.accountId}</code> : <Missing />}</Row>
          <Row label="Platform id">{r.platformId ? <code>{r.platformId}</code> : <Missing />}</Row>
          <Row label="Platform version">{r.platformVersion ? <code>{r.platformVersion}</code> : <Missing />}</Row>
          {r.subjectId ? <Row label="Acts on"><code>{r.subjectId}</code></Row> : null}
          {r.parentId ? <Row label="In reply to"><code>{r.parentId}</code></Row> : null}
          <Row label="Thread">
            {thread ? <Link className="usa-link" to={threadPath(thread)} state={{ from: recordPath(r.id) }}>Open the thread</Link> : <Missing />}
          </Row>
          <Row label="Captured at"><When iso={r.capturedAt} /></Row>
          <Row label="Platform time"><When iso={r.platformTime} fallback="Not given by the platform" /></Row>
          <Row label="Author">
            {author || <Missing />}
            {r.author?.id ? <span className="display-block font-sans-3xs"><code>{r.author.id}</code></span> : null}
          </Row>
          <Row label="Record id"><code>{r.id}</code></Row>
        </tbody>
      </table>
      {r.canonical ? (
        <details className="civic-details civic-details--wide">
          <summary>Canonical record: the exact bytes the leaf hash commits to</summary>
          <pre data-testid="canonical">{JSON.stringify(r.canonical, null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}

function Downloads({ record: r }: { record: ArchiveRecord }) {
  const base = `/api/archive/records/${encodeURIComponent(r.id)}`;
  const hasPayload = r.payloadSize !== null;
  return (
    <section className="margin-top-5" aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">Original files</h2>
      {hasPayload || r.hasEvidence ? (
        <>
          <p>Byte for byte as captured. Their SHA-256 hashes are in the canonical record above, so anyone can check them.</p>
          <ul className="usa-list">
            {hasPayload ? (
              <li>
                <a className="usa-link" href={`${base}/payload`} download>Download the raw payload</a> ({bytesWords(r.payloadSize ?? 0)})
              </li>
            ) : null}
            {r.hasEvidence ? (
              <li><a className="usa-link" href={`${base}/evidence`} download>Download the signed evidence</a></li>
            ) : null}
          </ul>
        </>
      ) : (
        <p>{r.destroyed ? 'The payload and evidence were destroyed with the record.' : 'No payload or evidence is stored for this record.'}</p>
      )}
    </section>
  );
}

function LogPosition({ record, proof }: { record: ArchiveRecord; proof: InclusionProof | null }) {
  return (
    <section className="margin-top-5" aria-labelledby="log-heading">
      <h2 id="log-heading">Place in the tamper-evident log</h2>
      <table className="usa-table usa-table--borderless usa-table--compact civic-fields">
        <caption className="usa-sr-only">Leaf of this record</caption>
        <tbody>
          <Row label="Leaf index">{record.leafIndex}</Row>
          <Row label="Leaf hash"><Hash value={record.leafHash} /></Row>
        </tbody>
      </table>
      <h3>Inclusion proof</h3>
      {proof ? (
        <>
          <p>
            These hashes lead from this record's leaf to the root of the log at the size below; the city signed that root in the checkpoint.
            Together they prove the record was in the log, unchanged, when the checkpoint was signed.
          </p>
          <table className="usa-table usa-table--borderless usa-table--compact civic-fields" data-testid="proof">
            <caption className="usa-sr-only">Inclusion proof</caption>
            <tbody>
              <Row label="Tree size">{proof.treeSize.toLocaleString('en-US')} records</Row>
              <Row label="Root">
                <Hash value={proof.root} />
              </Row>
            </tbody>
          </table>
          <details className="civic-details civic-details--wide">
            <summary>Proof hashes ({proof.proof.length})</summary>
            {proof.proof.length ? (
              <ol className="civic-hash-list" data-testid="proof-hashes">
                {proof.proof.map((h, i) => <li key={`${i}-${h}`}><Hash value={h} /></li>)}
              </ol>
            ) : <p>None needed: this is the only record in the tree.</p>}
          </details>
          <h3>Signed checkpoint</h3>
          <pre className="civic-pre" data-testid="checkpoint-note">{proof.checkpoint}</pre>
        </>
      ) : (
        <Alert kind="info" slim>
          <p className="margin-0">
            No signed checkpoint covers this record yet (one is signed every hour). Sign one now on the <Link className="usa-link" to="/archive/integrity">Integrity</Link> page.
          </p>
        </Alert>
      )}
    </section>
  );
}
