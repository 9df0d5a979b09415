// Pieces the archive pages share: the section's own navigation, record status badges, search
// snippets with their highlights (rendered as text and <mark> only, never as HTML), times, and
// hashes that wrap.
import { Fragment, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { snippetParts } from '../archiveText.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { HoldRef } from '../types.js';

interface SectionLink {
  to: string;
  label: string;
  permission: string;
}

export const ARCHIVE_SECTIONS: SectionLink[] = [
  { to: '/archive', label: 'Search', permission: 'archive.search' },
  { to: '/archive/integrity', label: 'Integrity', permission: 'archive.search' },
  { to: '/archive/holds', label: 'Legal holds', permission: 'archive.search' },
  { to: '/archive/retention', label: 'Retention', permission: 'archive.search' },
];

/** The archive's pages, with the section navigation above each. */
export function ArchiveSection() {
  const session = useSignedIn();
  const links = ARCHIVE_SECTIONS.filter((s) => hasPermission(session, s.permission));
  return (
    <>
      <nav className="civic-subnav" aria-label="Archive">
        <ul className="civic-subnav__list">
          {links.map((s) => (
            <li key={s.to} className="civic-subnav__item">
              <NavLink to={s.to} end className={({ isActive }) => `civic-subnav__link${isActive ? ' civic-subnav__link--current' : ''}`}>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

/** Where the person came from (search results, a thread), to offer the way back. */
export function useCameFrom(): string | null {
  const location = useLocation();
  const state: unknown = location.state;
  if (state && typeof state === 'object' && 'from' in state && typeof state.from === 'string' && state.from.startsWith('/archive')) return state.from;
  return null;
}

export function BackLink({ to }: { to: string | null }) {
  if (!to) return null;
  const path = to.split('?')[0] ?? to;
  const label = path.startsWith('/archive/thread') ? 'Back to the thread'
    : path.startsWith('/archive/records/') ? 'Back to the record'
      : path === '/archive' ? 'Back to the search results' : 'Back';
  return <p className="margin-top-0"><Link className="usa-link" to={to}>{label}</Link></p>;
}

/** A search snippet: the matched words highlighted with <mark>, everything else plain text. */
export function Snippet({ snippet }: { snippet: string }) {
  return (
    <>
      {snippetParts(snippet).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : <Fragment key={i}>{part.text}</Fragment>))}
    </>
  );
}

export function When({ iso, fallback = 'Unknown' }: { iso: string | null | undefined; fallback?: string }) {
  if (!iso) return <span className="text-base-dark">{fallback}</span>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** "Jane Doe <jane@city.gov>" (how the server names who acted) as the name, with the e-mail small below. */
export function Actor({ label }: { label: string }) {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(label);
  if (!m || !m[1] || !m[2]) return <>{label}</>;
  return (
    <>
      {m[1]}
      <span className="display-block font-sans-3xs text-base-dark civic-break-any">{m[2]}</span>
    </>
  );
}

/** A SHA-256 or other long hex value: monospace, wraps anywhere. */
export function Hash({ value }: { value: string }) {
  return <code className="civic-hash">{value}</code>;
}

type BadgeKind = 'deleted' | 'hidden' | 'hold' | 'destroyed';

function Badge({ kind, children }: { kind: BadgeKind; children: ReactNode }) {
  return <span className={`usa-tag civic-badge civic-badge--${kind}`}>{children}</span>;
}

/** Deleted, hidden, on hold (per hold) and destroyed, as tags; nothing when none applies. */
export function RecordBadges({ deleted, hidden, holds, destroyed }: {
  deleted?: boolean;
  hidden?: boolean;
  holds?: readonly HoldRef[];
  destroyed?: boolean;
}) {
  const items: Array<{ key: string; kind: BadgeKind; text: string }> = [];
  if (destroyed) items.push({ key: 'destroyed', kind: 'destroyed', text: 'Destroyed' });
  if (deleted) items.push({ key: 'deleted', kind: 'deleted', text: 'Deleted' });
  if (hidden) items.push({ key: 'hidden', kind: 'hidden', text: 'Hidden' });
  for (const h of holds ?? []) items.push({ key: `hold-${h.id}`, kind: 'hold', text: `On hold: ${h.name}` });
  if (items.length === 0) return null;
  return (
    <ul className="civic-badges" aria-label="Status">
      {items.map((b) => <li key={b.key}><Badge kind={b.kind}>{b.text}</Badge></li>)}
    </ul>
  );
}
