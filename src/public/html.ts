// A tiny, escaping HTML template for the public pages. They are plain server-rendered HTML (no
// script needed) so residents on any device, and archivers, can read them.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Marks a string as already-safe HTML so `html` does not escape it again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export function sourcesTag(sources: readonly string[] | undefined): SafeHtml {
  if (!sources?.length) return html``;
  return html` <span class="usa-tag bg-base-lighter text-ink" title="Policy requirement ids">${sources.join(', ')}</span>`;
}

export function page(opts: { title: string; cityName: string; lang?: string; body: SafeHtml }): string {
  return `<!doctype html>\n` + html`<html lang="${opts.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} — ${opts.cityName}</title>
<link rel="stylesheet" href="/uswds/css/uswds.min.css">
</head>
<body>
<a class="usa-skipnav" href="#main-content">Skip to main content</a>
<header class="usa-header usa-header--basic">
  <div class="usa-nav-container"><div class="usa-navbar"><div class="usa-logo"><em class="usa-logo__text">${opts.cityName}</em></div></div></div>
</header>
<main id="main-content" class="grid-container padding-bottom-4">
${opts.body}
</main>
<footer class="usa-footer usa-footer--slim"><div class="grid-container padding-y-2">Published by ${opts.cityName} with CivicDesk.</div></footer>
</body>
</html>`.value;
}
