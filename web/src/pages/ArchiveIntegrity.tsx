// The archive's integrity: the latest signed checkpoint (the tree size and root the city signed
// with its key), signing one on demand, checking every record, leaf and checkpoint against each
// other, and how a records requester checks an exported bundle without trusting the city.
import { useState } from 'react';
import { api } from '../api.js';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Hash, When } from '../components/Archive.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { CheckpointResponse, SignedCheckpoint, VerifyReport } from '../types.js';
import { useApi } from '../useApi.js';

const PROBLEM_WORDS: Record<string, string> = {
  removed: 'Removed',
  altered: 'Altered',
  inserted: 'Inserted',
  checkpoint: 'Checkpoint',
};

export function ArchiveIntegrityPage() {
  const session = useSignedIn();
  const canExport = hasPermission(session, 'archive.export');
  const checkpoint = useApi<CheckpointResponse & { sources?: string[] }>('/api/archive/checkpoint');
  const [signing, setSigning] = useState(false);
  const [signed, setSigned] = useState<SignedCheckpoint | null>(null);
  const [signError, setSignError] = useState<unknown>(null);

  const sign = async () => {
    setSigning(true);
    setSignError(null);
    setSigned(null);
    try {
      const result = await api.post<SignedCheckpoint>('/api/archive/checkpoint', {});
      await checkpoint.reload();
      setSigned(result);
    } catch (err) {
      setSignError(err);
    } finally {
      setSigning(false);
    }
  };

  const publicUrl = `/p/${encodeURIComponent(session.city.slug)}/archive/checkpoint`;
  return (
    <Page
      title="Archive integrity"
      lead="Every record is a leaf of a Merkle tree. The city signs the tree's size and root in a checkpoint every hour: changing, removing or slipping in a record afterwards no longer matches what was signed."
    >
      <section aria-labelledby="checkpoint-heading">
        <h2 id="checkpoint-heading">Latest signed checkpoint</h2>
        {checkpoint.state.status === 'loading' ? <Loading what="the checkpoint" /> : null}
        {checkpoint.state.status === 'error' ? <ApiErrorAlert error={checkpoint.state.error} /> : null}
        {checkpoint.state.status === 'ready' ? <CheckpointView data={checkpoint.state.data} publicUrl={publicUrl} /> : null}
        <div role="status">
          {signed ? (
            <Alert kind="success" slim>
              <p className="margin-0">Signed a checkpoint over {signed.size.toLocaleString('en-US')} records at <When iso={signed.createdAt} />.</p>
            </Alert>
          ) : null}
        </div>
        <ApiErrorAlert error={signError} focus />
        {canExport ? (
          <button type="button" className="usa-button margin-top-2" onClick={() => void sign()} disabled={signing}>
            {signing ? 'Signing…' : 'Sign a checkpoint now'}
          </button>
        ) : (
          <p className="text-base-dark">Signing a checkpoint on demand needs <code>archive.export</code>; one is signed every hour anyway.</p>
        )}
      </section>

      <VerifySection canExport={canExport} />

      <section className="margin-top-6" aria-labelledby="offline-heading">
        <h2 id="offline-heading">How a requester checks an exported bundle</h2>
        <p>
          Records released for a public records request come as a bundle: the records' canonical bytes with their inclusion proofs,
          the signed checkpoint, the city's verifier key, the raw payloads, and a small checker that needs nothing but Node.js.
          The requester does not have to trust CivicDesk or the city:
        </p>
        <ol className="usa-process-list civic-steps">
          <li className="usa-process-list__item">
            <p className="usa-process-list__heading">Compare the key</p>
            <p>Check that <code>vkey.txt</code> in the bundle is the city's published verifier key (shown above, and at <a className="usa-link" href={publicUrl}>{publicUrl}</a> with the latest checkpoint).</p>
          </li>
          <li className="usa-process-list__item">
            <p className="usa-process-list__heading">Run the checker</p>
            <p>With Node.js 18 or later, in the bundle's folder:</p>
            <pre className="civic-pre"><code>node verify-bundle.mjs &lt;folder&gt;</code></pre>
            <p>It checks the checkpoint's signature, each record's inclusion proof against the signed root, and the hash of every payload and file.</p>
          </li>
          <li className="usa-process-list__item">
            <p className="usa-process-list__heading">Read the result</p>
            <p className="margin-bottom-0">Exit code 0: every record verified. Exit code 1: it names each record or file that does not match. Records destroyed under the retention schedule are listed in the bundle's <code>README.txt</code>.</p>
          </li>
        </ol>
      </section>
    </Page>
  );
}

function CheckpointView({ data, publicUrl }: { data: CheckpointResponse & { sources?: string[] }; publicUrl: string }) {
  const cp = data.checkpoint;
  const pending = cp ? data.size - cp.size : data.size;
  return (
    <>
      {data.sources?.length ? <p>Kept under <Sources ids={data.sources} /></p> : null}
      {cp ? (
        <table className="usa-table usa-table--borderless usa-table--compact civic-fields" data-testid="checkpoint">
          <caption className="usa-sr-only">Latest signed checkpoint</caption>
          <tbody>
            <tr><th scope="row">Tree size</th><td data-testid="checkpoint-size">{cp.size.toLocaleString('en-US')} records</td></tr>
            <tr><th scope="row">Root</th><td className="civic-break-any"><Hash value={cp.root} /></td></tr>
            <tr><th scope="row">Signed</th><td><When iso={cp.created_at} /></td></tr>
            <tr>
              <th scope="row">Verifier key</th>
              <td className="civic-break-any">{data.vkey ? <Hash value={data.vkey} /> : <span className="text-base-dark">None yet</span>}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p data-testid="no-checkpoint">No checkpoint has been signed yet.</p>
      )}
      <p>
        {pending > 0
          ? `${pending.toLocaleString('en-US')} ${pending === 1 ? 'record was' : 'records were'} captured since; the next checkpoint will cover ${pending === 1 ? 'it' : 'them'}.`
          : 'The checkpoint covers every record captured so far.'}
      </p>
      {cp ? (
        <>
          <h3>The signed note</h3>
          <p>The checkpoint as signed (a C2SP signed note). Anyone can fetch it at <a className="usa-link" href={publicUrl}>{publicUrl}</a>.</p>
          <pre className="civic-pre" data-testid="checkpoint-note">{cp.note}</pre>
        </>
      ) : null}
    </>
  );
}

function VerifySection({ canExport }: { canExport: boolean }) {
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const verify = async () => {
    setRunning(true);
    setError(null);
    setReport(null);
    try {
      setReport(await api.post<VerifyReport>('/api/archive/verify', {}));
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="margin-top-6" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Verify the whole archive</h2>
      <p>
        Recomputes every record's hash, every leaf and every signed checkpoint from the stored bytes, and names anything
        altered, removed or inserted since capture.
      </p>
      {canExport ? (
        <button type="button" className="usa-button usa-button--outline" onClick={() => void verify()} disabled={running}>
          {running ? 'Verifying…' : 'Verify the whole archive'}
        </button>
      ) : (
        <p className="text-base-dark">Running the check needs <code>archive.export</code>.</p>
      )}
      <div role="status" className="usa-sr-only">{running ? 'Verifying the archive…' : ''}</div>
      <ApiErrorAlert error={error} focus />
      {report ? <VerifyResult report={report} /> : null}
    </section>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  const summary = (
    <>
      {report.records.toLocaleString('en-US')} records checked ({report.destroyed.toLocaleString('en-US')} destroyed under the retention schedule),
      {' '}{report.checkpoints.toLocaleString('en-US')} signed {report.checkpoints === 1 ? 'checkpoint' : 'checkpoints'}, in {report.seconds.toFixed(2)} seconds.
    </>
  );
  if (report.ok) {
    return (
      <Alert kind="success" heading="The archive verifies" focus id="verify-result">
        <p className="margin-0" data-testid="verify-summary">{summary} Nothing was altered, removed or inserted.</p>
      </Alert>
    );
  }
  return (
    <Alert kind="error" heading={`The archive does not verify: ${report.problems.length} ${report.problems.length === 1 ? 'problem' : 'problems'}`} focus id="verify-result">
      <p data-testid="verify-summary">{summary}</p>
      <ul className="usa-list margin-bottom-0" data-testid="verify-problems">
        {report.problems.map((p, i) => (
          <li key={`${i}-${p.message}`}>
            <strong>{PROBLEM_WORDS[p.kind] ?? p.kind}</strong>
            {p.leafIndex !== undefined ? <> (leaf {p.leafIndex})</> : null}: {p.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
