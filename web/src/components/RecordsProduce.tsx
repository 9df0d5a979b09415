// Producing the answer: once every record found has a decision, the server makes redacted copies,
// builds the package (cover letter, records.pdf, records.csv, a WACZ web archive and the offline
// proofs) and records it with its SHA-256. The build can take minutes for a large request, and the
// API answers only when it is done, so the page says what is happening until then.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api.js';
import { bytesWords } from '../archiveText.js';
import { exemptionOf, recordsPdfPagePath, recordsPdfUrl, recordsZipUrl } from '../recordsText.js';
import type { Production, ProductionResult, RecordsExemption, RecordsRequestDetail } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { ApiErrorAlert } from './Alerts.js';
import { Actor, Hash, When } from './Archive.js';
import { TextAreaField } from './Fields.js';

function ProductionCard({ requestId, number, production: p, exemptions, latest }: {
  requestId: string;
  number: string;
  production: Production;
  exemptions: RecordsExemption[];
  latest: boolean;
}) {
  const s = p.summary;
  const withheld = s.withheld ?? [];
  const files = s.files?.filter((f) => !f.endsWith('/')) ?? [];
  return (
    <li className="usa-card civic-item" data-testid="production">
      <div className="usa-card__container">
        <div className="usa-card__header">
          <h3 className="usa-card__heading">Package of <When iso={p.at} />{latest ? ' (latest)' : ''}</h3>
        </div>
        <div className="usa-card__body">
          <table className="usa-table usa-table--borderless civic-fields" data-testid="production-facts">
            <caption className="usa-sr-only">About the package</caption>
            <tbody>
              <tr><th scope="row">Size</th><td data-testid="production-size">{bytesWords(p.bytes)}</td></tr>
              <tr><th scope="row">SHA-256</th><td><span data-testid="production-sha256"><Hash value={p.sha256} /></span></td></tr>
              <tr><th scope="row">Records</th><td data-testid="production-records">{s.records ?? s.items?.length ?? 'Unknown'} produced, {s.redacted ?? 0} of them redacted copies</td></tr>
              <tr>
                <th scope="row">Withheld</th>
                <td>
                  {withheld.length ? (
                    <ul className="usa-list usa-list--unstyled">
                      {withheld.map((w) => (
                        <li key={w.code}>
                          <code>[{w.code}]</code> {exemptionOf(exemptions, w.code)?.label ?? ''}: {w.records ? `${w.records} record(s) withheld` : ''}{w.records && w.redactions ? ', ' : ''}{w.redactions ? `${w.redactions} passage(s) redacted` : ''}
                        </li>
                      ))}
                    </ul>
                  ) : 'Nothing'}
                </td>
              </tr>
              {files.length ? <tr><th scope="row">Files</th><td className="civic-break-any">{files.length}: {files.filter((f) => !f.startsWith('proof/')).join(', ')} and the proof folder</td></tr> : null}
              <tr><th scope="row">Made by</th><td><Actor label={p.by} /></td></tr>
            </tbody>
          </table>
          <ul className="usa-button-group">
            <li className="usa-button-group__item">
              <a className="usa-button" href={recordsZipUrl(requestId, p.id)} download data-testid="download-zip">
                Download the package (ZIP, {bytesWords(p.bytes)})<span className="usa-sr-only"> of request {number}</span>
              </a>
            </li>
            <li className="usa-button-group__item">
              <Link className="usa-button usa-button--outline" to={recordsPdfPagePath(requestId, p.id)}>View the PDF<span className="usa-sr-only"> of this package</span></Link>
            </li>
            <li className="usa-button-group__item">
              <a className="usa-button usa-button--unstyled padding-105" href={recordsPdfUrl(requestId, p.id)} download={`${number}-records.pdf`}>Download records.pdf</a>
            </li>
          </ul>
        </div>
      </div>
    </li>
  );
}

export function RecordsProduce({ detail, exemptions, onDone }: { detail: RecordsRequestDetail; exemptions: RecordsExemption[]; onDone: OnDone }) {
  const r = detail.request;
  const [note, setNote] = useState('');
  const { error, busy, run } = useSubmit();
  const undecided = detail.candidates.filter((c) => !c.decision).length;
  const included = detail.candidates.filter((c) => c.decision?.decision === 'include').length;
  const productions = [...detail.productions].reverse();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const made = await api.post<ProductionResult>(`/api/records/requests/${encodeURIComponent(r.id)}/produce`, { note: note.trim() || null });
      setNote('');
      await onDone(`Produced the package: ${made.records} ${made.records === 1 ? 'record' : 'records'}, ${bytesWords(made.bytes)}. Download it below.`);
    });
  };

  return (
    <section aria-labelledby="produce-heading" className="margin-top-6" data-testid="produce">
      <h2 id="produce-heading">Produce the package</h2>
      {r.status === 'in_review' ? (
        <>
          <p data-testid="produce-readiness">
            {undecided ? `${undecided} ${undecided === 1 ? 'record still needs' : 'records still need'} a decision before the package can be produced.`
              : included ? `Ready: ${included} ${included === 1 ? 'record' : 'records'} will be produced, redacted copies in place of the originals.`
                : 'No record is included: deny the request citing the exemptions, or close it with a note.'}
          </p>
          <ApiErrorAlert error={error} focus />
          <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label="Produce the package" aria-busy={busy}>
            <TextAreaField id="produce-note" name="note" label="Paragraph for the cover letter" optional hint="For example, how the records were searched." maxLength={5000} value={note} onChange={setNote} />
            <button type="submit" className="usa-button margin-top-2" disabled={busy}>{busy ? 'Producing…' : 'Produce the package'}</button>
          </form>
          <div role="status" data-testid="produce-progress">
            {busy ? (
              <div className="margin-top-2">
                <p className="margin-bottom-1">Building the package: redacted copies, the cover letter, records.pdf, records.csv, the web archive and the proofs. A large request can take a few minutes; keep this page open.</p>
                <progress className="civic-progress" aria-label="Building the package" />
              </div>
            ) : null}
          </div>
        </>
      ) : productions.length === 0 ? <p>Packages are produced once the records found have been reviewed.</p> : null}
      {productions.length ? (
        <ol className="civic-thread margin-top-3" aria-label="Packages produced">
          {productions.map((p, i) => <ProductionCard key={p.id} requestId={r.id} number={r.number} production={p} exemptions={exemptions} latest={i === 0} />)}
        </ol>
      ) : null}
    </section>
  );
}
