// The platforms and tools the city may use (KA-6, BZ-2). Those the adopted policy names are approved
// by the policy itself and need no row; any other is added only by an approved platform request
// (requests code, source 'request'), and a withdrawn one no longer counts.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { policySources } from './compliance.js';

export interface ApprovedPlatform {
  id: string;
  name: string;
  source: 'pack' | 'request';
  note: string | null;
  /** The approval request, for platforms added through a chain. */
  requestId: string | null;
  /** When approved: the pack's adoption date for policy-listed platforms. */
  approvedAt: string;
  sources: string[];
}

export async function approvedPlatforms(db: Kysely<DB>, orgId: string, pack: PolicyPack): Promise<ApprovedPlatform[]> {
  const fromPack: ApprovedPlatform[] = pack.platforms.map((p) => ({
    id: p.id, name: p.name, source: 'pack', note: p.note ?? null, requestId: null, approvedAt: pack.source.adopted, sources: p.sources,
  }));
  const listed = new Set(fromPack.map((p) => p.id));
  const rows = await db.selectFrom('approved_platforms').selectAll()
    .where('org_id', '=', orgId).where('withdrawn_at', 'is', null).orderBy('name').execute();
  // A platform added by request is on the list the policy requires IT or the city to keep.
  const listSources = policySources(pack, ['KA-6', 'BZ-2']);
  const fromRequests: ApprovedPlatform[] = rows
    .filter((r) => !listed.has(r.platform))
    .map((r) => ({ id: r.platform, name: r.name, source: 'request', note: null, requestId: r.request_id, approvedAt: r.approved_at, sources: listSources }));
  return [...fromPack, ...fromRequests];
}

export async function isPlatformApproved(db: Kysely<DB>, orgId: string, pack: PolicyPack, platform: string): Promise<boolean> {
  if (pack.platforms.some((p) => p.id === platform)) return true;
  const row = await db.selectFrom('approved_platforms').select('platform')
    .where('org_id', '=', orgId).where('platform', '=', platform).where('withdrawn_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}
