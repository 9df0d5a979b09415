// records.csv: one row per produced record, for people who open the production in a spreadsheet.
// RFC 4180 (CRLF rows, fields quoted when they hold a comma, quote or line break), UTF-8 with a
// byte-order mark so Excel reads it as UTF-8. A cell that starts with = + - @ (or a tab or CR) gets
// a leading apostrophe: residents write the comments, and a comment like `=HYPERLINK(...)` must
// stay text when a clerk opens the file (CSV formula injection).
import { FileSink, type SinkResult } from './sink.js';

export const CSV_COLUMNS = [
  'record_id', 'leaf_index', 'kind', 'platform', 'account', 'author_handle', 'author_name', 'platform_time', 'captured_at',
  'text', 'deleted', 'hidden_or_moderated', 'redacted', 'redaction_codes', 'replaces_record', 'payload_sha256',
] as const;

export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string | number | null>;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export class CsvWriter {
  private readonly sink: FileSink;

  constructor(path: string) {
    this.sink = new FileSink(path);
    this.sink.write(`\ufeff${CSV_COLUMNS.join(',')}\r\n`);
  }

  row(row: CsvRow): void {
    this.sink.write(`${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`);
  }

  close(): SinkResult {
    return this.sink.close();
  }

  abandon(): void {
    this.sink.abandon();
  }
}
