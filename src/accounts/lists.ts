// The lists the policies require the city to keep (KA-6; BZ-2 and BZ-5 for IT's lists): approved
// platforms, official accounts with their administrators, and staff who may submit content. Built
// on request from the live registry, as JSON for the app and CSV for whoever keeps the paper copy.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { parseGrant } from '../policy/grants.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { listPeople } from '../people/people.queries.js';
import { adminsByAccount, listAccounts, type AccountView } from './accounts.queries.js';
import { approvedPlatforms } from './platforms.js';
import { policySources } from './compliance.js';

export const LIST_KINDS = ['platforms', 'accounts', 'submitters'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface ListColumn {
  key: string;
  label: string;
}

export interface OfficialList {
  kind: ListKind;
  title: string;
  sources: string[];
  columns: ListColumn[];
  rows: Array<Record<string, string>>;
}

/** What the reader may see: a department-scoped viewer gets their department's part of each list. */
export interface ListScope {
  account?: (a: AccountView) => boolean;
  person?: (p: { id: string; departmentId: string | null }) => boolean;
}

export function isListKind(value: string): value is ListKind {
  return (LIST_KINDS as readonly string[]).includes(value);
}

async function platformsList(db: Kysely<DB>, orgId: string, pack: PolicyPack): Promise<OfficialList> {
  const platforms = await approvedPlatforms(db, orgId, pack);
  return {
    kind: 'platforms',
    title: 'Approved platforms and tools',
    sources: policySources(pack, ['KA-6', 'BZ-2']),
    columns: [
      { key: 'platform', label: 'Platform' }, { key: 'name', label: 'Name' }, { key: 'approvedBy', label: 'Approved by' },
      { key: 'approvedAt', label: 'Approved on' }, { key: 'note', label: 'Note' },
    ],
    rows: platforms.map((p) => ({
      platform: p.id, name: p.name, approvedBy: p.source === 'pack' ? 'adopted policy' : `request ${p.requestId ?? ''}`.trim(),
      approvedAt: p.approvedAt.slice(0, 10), note: p.note ?? '',
    })),
  };
}

async function accountsList(db: Kysely<DB>, orgId: string, pack: PolicyPack, scope: ListScope): Promise<OfficialList> {
  const accounts = (await listAccounts(db, orgId)).filter(scope.account ?? (() => true));
  const admins = await adminsByAccount(db, orgId, pack, accounts.map((a) => a.id));
  return {
    kind: 'accounts',
    title: 'Official accounts and their administrators',
    sources: policySources(pack, ['KA-6', 'BZ-5']),
    columns: [
      { key: 'platform', label: 'Platform' }, { key: 'handle', label: 'Handle' }, { key: 'status', label: 'Status' },
      { key: 'department', label: 'Department' }, { key: 'board', label: 'Board' }, { key: 'profileUrl', label: 'Profile' },
      { key: 'administrators', label: 'Administrators' },
    ],
    rows: accounts.map((a) => ({
      platform: a.platform, handle: a.handle, status: a.status, department: a.department ?? '', board: a.boardName ?? '',
      profileUrl: a.profileUrl ?? '',
      administrators: (admins.get(a.id) ?? [])
        .map((p) => `${p.displayName} <${p.email}>${p.isIt ? ' (IT)' : ''}${p.active ? '' : ' (disabled)'}`).join('; '),
    })),
  };
}

async function submittersList(db: Kysely<DB>, orgId: string, pack: PolicyPack, scope: ListScope): Promise<OfficialList> {
  // A role may submit content at some scope (city, department, own); the list says which.
  const submitRoles = new Map<string, string>();
  for (const role of pack.roles) {
    for (const raw of role.grants) {
      const g = parseGrant(raw);
      if (g.ok && g.grant.action === 'content.submit') submitRoles.set(role.id, g.grant.scope);
    }
  }
  const people = (await listPeople(db, orgId)).filter((p) => p.status === 'active' && p.roles.some((r) => submitRoles.has(r))
    && (scope.person ?? (() => true))(p));
  const title = (id: string) => pack.roles.find((r) => r.id === id)?.title ?? id;
  return {
    kind: 'submitters',
    title: 'Staff who may submit content',
    sources: policySources(pack, ['KA-6']),
    columns: [
      { key: 'name', label: 'Name' }, { key: 'email', label: 'E-mail' }, { key: 'department', label: 'Department' },
      { key: 'roles', label: 'Roles' }, { key: 'reach', label: 'May submit for' },
    ],
    rows: people.map((p) => {
      const held = p.roles.filter((r) => submitRoles.has(r));
      const reach = [...new Set(held.map((r) => submitRoles.get(r)))]
        .map((s) => (s === 'city' ? 'the city' : s === 'department' ? 'their department' : 'their own items')).join(', ');
      return { name: p.displayName, email: p.email, department: p.department ?? '', roles: held.map(title).join('; '), reach };
    }),
  };
}

export async function buildList(db: Kysely<DB>, orgId: string, pack: PolicyPack, kind: ListKind, scope: ListScope = {}): Promise<OfficialList> {
  if (kind === 'platforms') return platformsList(db, orgId, pack);
  if (kind === 'accounts') return accountsList(db, orgId, pack, scope);
  return submittersList(db, orgId, pack, scope);
}

// A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection);
// a leading apostrophe makes it text. Tab and carriage return are included as OWASP advises.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field, neutralised against formula injection. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180: a header row, CRLF line ends, quoted fields where needed. */
export function toCsv(columns: ListColumn[], rows: Array<Record<string, string>>): string {
  const lines = [columns.map((c) => csvCell(c.label)), ...rows.map((r) => columns.map((c) => csvCell(r[c.key] ?? '')))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

export function listToCsv(list: OfficialList): string {
  return toCsv(list.columns, list.rows);
}

/** e.g. kalispell-accounts-2026-05-01.csv; the slug is already URL-safe. */
export function listFilename(citySlug: string, kind: ListKind, now: Date): string {
  return `${citySlug.replace(/[^a-z0-9-]/gi, '')}-${kind}-${now.toISOString().slice(0, 10)}.csv`;
}
