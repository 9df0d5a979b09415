// pdf.js for reading a production's records.pdf in the browser. Headless and embedded browsers
// often have no PDF viewer of their own, and a viewer's canvas alone is not readable by a screen
// reader, so each page is drawn to a canvas and its text extracted beside it. Loaded on demand by
// the viewer page only: pdf.js and its worker stay out of the main bundle.
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfDocument = PDFDocumentProxy;

export async function openPdf(bytes: ArrayBuffer): Promise<PdfDocument> {
  // No eval: the app's pages never run generated code.
  return getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
}

/** The page's text in reading order, one line per line of the page. */
export async function pageText(doc: PdfDocument, pageNumber: number): Promise<string> {
  const page = await doc.getPage(pageNumber);
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text.replace(/[ \t]+\n/g, '\n').trimEnd();
}

export interface Drawing {
  done: Promise<void>;
  cancel: () => void;
}

/** Draws the page to the canvas at `cssWidth` pixels wide, sharp on high-density screens. */
export function drawPage(doc: PdfDocument, pageNumber: number, canvas: HTMLCanvasElement, cssWidth: number): Drawing {
  let task: RenderTask | null = null;
  let cancelled = false;
  const done = (async () => {
    const page = await doc.getPage(pageNumber);
    if (cancelled) return;
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: cssWidth / base.width });
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.aspectRatio = `${viewport.width} / ${viewport.height}`;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas');
    task = page.render({ canvasContext: context, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
    await task.promise;
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      task?.cancel();
    },
  };
}
