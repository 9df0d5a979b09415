// Reading a production's records.pdf in the browser, exactly as the requester gets it (the server
// streams it out of the package ZIP). Each page is drawn with pdf.js, with its text beside the
// image so it can be read aloud, searched, zoomed and copied. Long packages show a few pages at a
// time. The PDF is fetched like any API call, so a refusal or a missing file says why.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Hash, When } from '../components/Archive.js';
import { Page } from '../components/Page.js';
import { recordsPdfUrl, recordsRequestPath } from '../recordsText.js';
import type { RecordsRequestDetail } from '../recordsTypes.js';
import type { PdfDocument } from '../recordsPdf.js';
import { useApi } from '../useApi.js';
import '../components/Records.css';

const BATCH = 10;
const PAGE_WIDTH = 560;

type Loaded =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; doc: PdfDocument; pdf: typeof import('../recordsPdf.js') };

async function fetchPdf(url: string, signal: AbortSignal): Promise<ArrayBuffer> {
  const response = await fetch(url, { credentials: 'same-origin', signal, headers: { accept: 'application/pdf, application/json' } });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body && typeof body === 'object' ? body : {});
  }
  return response.arrayBuffer();
}

export function RecordsPdfPage() {
  const { id = '', pid = '' } = useParams();
  const detail = useApi<RecordsRequestDetail>(`/api/records/requests/${encodeURIComponent(id)}`);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [shown, setShown] = useState(BATCH);
  const url = recordsPdfUrl(id, pid);
  const number = detail.state.status === 'ready' ? detail.state.data.request.number : '';
  const production = detail.state.status === 'ready' ? detail.state.data.productions.find((p) => p.id === pid) : undefined;

  useEffect(() => {
    const controller = new AbortController();
    let doc: PdfDocument | null = null;
    (async () => {
      const [bytes, pdf] = await Promise.all([fetchPdf(url, controller.signal), import('../recordsPdf.js')]);
      doc = await pdf.openPdf(bytes);
      if (controller.signal.aborted) return void doc.destroy();
      setLoaded({ status: 'ready', doc, pdf });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) setLoaded({ status: 'error', error });
    });
    return () => {
      controller.abort();
      void doc?.destroy();
    };
  }, [url]);

  const pages = loaded.status === 'ready' ? loaded.doc.numPages : 0;
  const visible = Math.min(shown, pages);
  return (
    <Page title={number ? `records.pdf of request ${number}` : 'records.pdf'} heading={<>The PDF of request {number || '…'}</>}>
      <p className="margin-top-0"><Link className="usa-link" to={recordsRequestPath(id)}>Back to the request</Link></p>
      <p>
        The records.pdf file in the package, as the requester receives it
        {production ? <>: produced <When iso={production.at} />, package SHA-256 <Hash value={production.sha256} /></> : null}.
        {' '}<a className="usa-link" href={url} download={`${number || 'records'}-records.pdf`}>Download records.pdf</a>
      </p>
      {loaded.status === 'loading' ? <Loading what="the PDF" /> : null}
      {loaded.status === 'error' ? <ApiErrorAlert error={loaded.error} /> : null}
      {loaded.status === 'ready' ? (
        <>
          <p role="status" data-testid="pdf-count">Showing {visible === pages ? `all ${pages}` : `pages 1–${visible} of ${pages}`} {pages === 1 ? 'page' : 'pages'}.</p>
          <ol className="civic-pdf-pages" aria-label="Pages">
            {Array.from({ length: visible }, (_, i) => (
              <PdfPage key={i + 1} loaded={loaded} pageNumber={i + 1} pages={pages} />
            ))}
          </ol>
          {visible < pages ? (
            <button type="button" className="usa-button usa-button--outline" onClick={() => setShown((n) => n + BATCH)}>
              Show {Math.min(BATCH, pages - visible)} more {pages - visible === 1 ? 'page' : 'pages'}
            </button>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

function PdfPage({ loaded, pageNumber, pages }: { loaded: Extract<Loaded, { status: 'ready' }>; pageNumber: number; pages: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const headingId = `pdf-page-${pageNumber}`;

  useEffect(() => {
    const target = canvas.current;
    if (!target) return;
    const drawing = loaded.pdf.drawPage(loaded.doc, pageNumber, target, PAGE_WIDTH);
    let live = true;
    Promise.all([drawing.done, loaded.pdf.pageText(loaded.doc, pageNumber)])
      .then(([, t]) => {
        if (!live) return;
        setText(t);
        target.dataset.drawn = 'true';
      })
      .catch((err: unknown) => {
        if (live && !(err instanceof Error && err.name === 'RenderingCancelledException')) setError(err);
      });
    return () => {
      live = false;
      drawing.cancel();
    };
  }, [loaded, pageNumber]);

  return (
    <li className="civic-pdf-page" data-testid="pdf-page" aria-labelledby={headingId}>
      <h2 id={headingId} className="font-sans-md">Page {pageNumber} of {pages}</h2>
      {error ? <ApiErrorAlert error={error} /> : null}
      <div className="civic-pdf-page__body">
        {/* The image repeats the text beside it, so assistive technology reads the text only. */}
        <canvas ref={canvas} className="civic-pdf-canvas" aria-hidden="true" data-testid="pdf-canvas" />
        <div className="civic-pdf-text">
          <h3 className="usa-sr-only">Text of page {pageNumber}</h3>
          {text === null ? <p className="text-base">Reading the page…</p> : <div className="civic-record-text" data-testid="pdf-page-text">{text}</div>}
        </div>
      </div>
    </li>
  );
}
