// Vite's `?url` import: the worker file is emitted as an asset and the import is its address. Only
// the pdf.js worker is imported this way, so only it is declared.
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
