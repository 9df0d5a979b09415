// The pack's records section (custodian, clock, exemptions and the POLICY-MAP ids behind them), as
// the records pages need it. Read from GET /api/policy, which every bundled pack lets staff see;
// someone without pack.view still gets the pages, only without the pack's wording.
import { roleTitle } from './policyText.js';
import type { PolicyWithRecords, RecordsRules } from './recordsTypes.js';
import { hasPermission } from './session.js';
import type { Session } from './types.js';
import { useApi } from './useApi.js';

export interface RecordsPolicy {
  /** Null while loading, when the person may not read the pack, or when the pack has no records section. */
  rules: RecordsRules | null;
  /** "City Clerk": who the pack names as custodian; "records custodian" until known. */
  custodianTitle: string;
  /** The person holds the custodian role: they take requests in directly. */
  isCustodian: boolean;
  /** The city's time zone, for the day a request was received; undefined until the pack is read. */
  timeZone: string | undefined;
  loading: boolean;
}

export function useRecordsPolicy(session: Session): RecordsPolicy {
  const { state } = useApi<PolicyWithRecords>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const pack = state.status === 'ready' ? state.data.pack : null;
  const rules = pack?.records ?? null;
  const custodianTitle = pack && rules ? roleTitle(pack, rules.custodianRole) : 'records custodian';
  // City-wide holders of records.request.manage may take requests in too (the server checks the same).
  const cityWide = session.permissions.includes('records.request.manage') && (session.scopes?.['records.request.manage'] ?? 'city') === 'city';
  const isCustodian = cityWide || (rules ? session.user.roles.some((r) => r.id === rules.custodianRole) : false);
  return { rules, custodianTitle, isCustodian, timeZone: pack?.city.timeZone, loading: hasPermission(session, 'pack.view') && state.status === 'loading' };
}
