// Plain words for the archive's codes (record kinds, retention series, hold criteria), the search
// form's query string, and the safe reading of search snippets. Unknown codes fall back to the code
// in words, so records captured by a newer CivicDesk still show honestly.
import { humanize } from './policyText.js';
import type { ArchiveAuthor, HoldCriteria } from './types.js';

/** Every kind of record the archive keeps, in the order the search form offers them. */
export const ARCHIVE_KINDS = [
  'post', 'post_version', 'comment', 'comment_version', 'deletion', 'visibility_change',
  'moderation_action', 'follower_snapshot', 'account_change', 'staff_event', 'redacted_copy',
] as const;

const KIND_WORDS: Record<string, string> = {
  post: 'Post',
  post_version: 'Post edit',
  comment: 'Comment',
  comment_version: 'Comment edit',
  deletion: 'Deletion',
  visibility_change: 'Visibility change',
  moderation_action: 'Moderation action',
  follower_snapshot: 'Follower list',
  account_change: 'Account change',
  staff_event: 'Staff action',
  redacted_copy: 'Redacted copy (records request)',
};

export function kindWords(kind: string): string {
  return KIND_WORDS[kind] ?? humanize(kind);
}

const SERIES_WORDS: Record<string, string> = {
  posts: 'Posts by the city',
  comments: 'Comments by the public',
  moderation: 'Moderation: deletions, hides and decisions',
  follower_lists: 'Follower lists',
  account_changes: 'Account changes',
  staff_events: 'Staff actions in CivicDesk',
  records_requests: 'Records requests: redacted copies produced',
};

export function seriesWords(series: string): string {
  return SERIES_WORDS[series] ?? humanize(series);
}

/** Kinds that belong to a conversation on the platform (they open on the thread page). */
export function threadIdOf(record: { kind: string; platformId: string | null; threadId: string | null; subjectId?: string | null }): string | null {
  if (record.threadId) return record.threadId;
  if ((record.kind === 'post' || record.kind === 'post_version') && record.platformId) return record.platformId;
  return null;
}

export function threadPath(threadId: string): string {
  return `/archive/thread?id=${encodeURIComponent(threadId)}`;
}

export function recordPath(id: string): string {
  return `/archive/records/${encodeURIComponent(id)}`;
}

export function authorWords(author: ArchiveAuthor | null | undefined): string {
  if (!author) return '';
  const handle = author.handle ? `@${author.handle.replace(/^@/, '')}` : '';
  if (author.name && handle) return `${author.name} (${handle})`;
  return author.name || handle || author.id || '';
}

export interface SnippetPart {
  text: string;
  marked: boolean;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Undoes the server's HTML escaping of snippet text (`&#60;`, `&lt;`, `&#x3c;`…) into plain characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, code: string) => {
    if (code.startsWith('#')) {
      const n = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number.parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return NAMED_ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/**
 * Splits a search snippet on its <mark> and </mark> tags. The server escapes the text around them
 * as HTML; the pieces are decoded back to plain characters and rendered as text nodes and <mark>
 * elements only, never as HTML, so a comment's own markup shows as the characters it was typed
 * with. An unclosed <mark> marks to the end; a stray </mark> is dropped.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/i)) {
    const tag = piece.toLowerCase();
    if (tag === '<mark>') {
      marked = true;
      continue;
    }
    if (tag === '</mark>') {
      marked = false;
      continue;
    }
    if (!piece) continue;
    const text = decodeEntities(piece);
    const last = parts[parts.length - 1];
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  }
  return parts;
}

/** The search form's fields, exactly as they appear in the page's query string (and the API's). */
export interface SearchForm {
  text: string;
  accountId: string;
  kind: string;
  author: string;
  from: string;
  to: string;
  status: '' | 'deleted' | 'hidden';
  onHold: boolean;
}

export const EMPTY_SEARCH: SearchForm = { text: '', accountId: '', kind: '', author: '', from: '', to: '', status: '', onHold: false };

export function searchFormFrom(params: URLSearchParams): SearchForm {
  const status = params.get('status') ?? '';
  return {
    text: params.get('text') ?? '',
    accountId: params.get('accountId') ?? '',
    kind: params.get('kind') ?? '',
    author: params.get('author') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    status: status === 'deleted' || status === 'hidden' ? status : '',
    onHold: params.get('onHold') === 'true',
  };
}

/** Only the fields that are set, trimmed; the same object serves the page's URL and the API call. */
export function searchParamsFrom(form: SearchForm, offset = 0): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string) => {
    const v = value.trim();
    if (v) params.set(key, v);
  };
  set('text', form.text);
  set('accountId', form.accountId);
  set('kind', form.kind);
  set('author', form.author);
  set('from', form.from);
  set('to', form.to);
  set('status', form.status);
  if (form.onHold) params.set('onHold', 'true');
  if (offset > 0) params.set('offset', String(offset));
  return params;
}

export function isEmptySearch(form: SearchForm): boolean {
  return searchParamsFrom(form).toString() === '';
}

/** "account acct-1, from January 1, 2026, words “park”" for a hold's criteria. */
export function criteriaParts(criteria: HoldCriteria): Array<{ label: string; value: string }> {
  const out: Array<{ label: string; value: string }> = [];
  if (criteria.accountId) out.push({ label: 'Account', value: criteria.accountId });
  if (criteria.author) out.push({ label: 'Author', value: criteria.author });
  if (criteria.query) out.push({ label: 'Words', value: criteria.query });
  if (criteria.from) out.push({ label: 'From', value: criteria.from });
  if (criteria.to) out.push({ label: 'To', value: criteria.to });
  return out;
}

export function retentionWords(years: number | null): string {
  if (years === null) return 'Keep until a period is set';
  return `${years} ${years === 1 ? 'year' : 'years'}`;
}

export function retentionSourceWords(source: string): string {
  if (source === 'pack') return 'Policy pack';
  if (source === 'clerk') return 'Set by the City Clerk';
  if (source === 'none') return 'Not set';
  return humanize(source);
}

export function bytesWords(size: number): string {
  if (size < 1024) return `${size} ${size === 1 ? 'byte' : 'bytes'}`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
