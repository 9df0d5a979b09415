// Who has done which of the pack's training modules, and who is missing what. Modules come only from
// the pack (LX-11, BZ-4); a pack with no modules requires nothing. Completions are append-only: the
// latest one for a person and module is the one in force.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import type { TRAINING_GATES } from '../policy/pack.constants.js';

export type TrainingGate = (typeof TRAINING_GATES)[number];
export type TrainingModule = PolicyPack['training'][number];
export type ModuleState = 'current' | 'expired' | 'missing';

export interface CompletionView {
  id: string;
  userId: string;
  moduleId: string;
  completedOn: string;
  expiresOn: string | null;
  recordedBy: string;
  evidence: string | null;
  createdAt: string;
}

export interface ModuleStatus {
  moduleId: string;
  title: string;
  requiredFor: TrainingGate[];
  state: ModuleState;
  completedOn: string | null;
  expiresOn: string | null;
  sources: string[];
}

export interface TrainingStatus {
  userId: string;
  modules: ModuleStatus[];
  /** Per gate, the modules the person still needs before that gate opens. */
  missing: Record<TrainingGate, string[]>;
}

/**
 * Today's date in the city's own time zone: a completion "valid until 2026-03-01" should not lapse
 * at 17:00 the day before because the server runs on UTC.
 */
export function cityToday(pack: PolicyPack, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: pack.city.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Valid while there is no expiry or the expiry date is still ahead. */
export function isValid(expiresOn: string | null, today: string): boolean {
  return expiresOn === null || expiresOn > today;
}

export async function listCompletions(
  db: Kysely<DB>, orgId: string, filter: { userId?: string; moduleId?: string } = {},
): Promise<CompletionView[]> {
  let q = db.selectFrom('training_completions').selectAll().where('org_id', '=', orgId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.moduleId) q = q.where('module_id', '=', filter.moduleId);
  const rows = await q.orderBy('completed_on', 'desc').orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({
    id: r.id, userId: r.user_id, moduleId: r.module_id, completedOn: r.completed_on, expiresOn: r.expires_on,
    recordedBy: r.recorded_by, evidence: r.evidence, createdAt: r.created_at,
  }));
}

/** The completion in force per user and module: the latest, since a new one supersedes the old. */
function latestByUserModule(completions: CompletionView[]): Map<string, CompletionView> {
  const latest = new Map<string, CompletionView>();
  for (const c of completions) {
    const key = `${c.userId}\u0000${c.moduleId}`;
    // listCompletions sorts newest first, so the first seen wins.
    if (!latest.has(key)) latest.set(key, c);
  }
  return latest;
}

function statusFrom(pack: PolicyPack, userId: string, latest: Map<string, CompletionView>, today: string): TrainingStatus {
  const missing: Record<TrainingGate, string[]> = { account_access: [], site_creation: [], content_submission: [] };
  const modules = pack.training.map((m): ModuleStatus => {
    const c = latest.get(`${userId}\u0000${m.id}`);
    const state: ModuleState = !c ? 'missing' : isValid(c.expiresOn, today) ? 'current' : 'expired';
    if (state !== 'current') m.requiredFor.forEach((gate) => missing[gate].push(m.id));
    return {
      moduleId: m.id, title: m.title, requiredFor: [...m.requiredFor], state,
      completedOn: c?.completedOn ?? null, expiresOn: c?.expiresOn ?? null, sources: m.sources,
    };
  });
  return { userId, modules, missing };
}

export async function trainingStatus(db: Kysely<DB>, orgId: string, pack: PolicyPack, userId: string, now: Date): Promise<TrainingStatus> {
  const latest = latestByUserModule(await listCompletions(db, orgId, { userId }));
  return statusFrom(pack, userId, latest, cityToday(pack, now));
}

/** The modules a gate requires that each of these people lacks; people lacking none are left out. */
export async function missingForGate(
  db: Kysely<DB>, orgId: string, pack: PolicyPack, userIds: string[], gate: TrainingGate, now: Date,
): Promise<Array<{ userId: string; modules: TrainingModule[] }>> {
  const required = pack.training.filter((m) => m.requiredFor.includes(gate));
  if (required.length === 0 || userIds.length === 0) return [];
  const rows = await db.selectFrom('training_completions').selectAll().where('org_id', '=', orgId)
    .where('user_id', 'in', userIds).orderBy('completed_on', 'desc').orderBy('created_at', 'desc').execute();
  const latest = latestByUserModule(rows.map((r) => ({
    id: r.id, userId: r.user_id, moduleId: r.module_id, completedOn: r.completed_on, expiresOn: r.expires_on,
    recordedBy: r.recorded_by, evidence: r.evidence, createdAt: r.created_at,
  })));
  const today = cityToday(pack, now);
  const out: Array<{ userId: string; modules: TrainingModule[] }> = [];
  for (const userId of [...new Set(userIds)]) {
    const lacking = required.filter((m) => {
      const c = latest.get(`${userId}\u0000${m.id}`);
      return !c || !isValid(c.expiresOn, today);
    });
    if (lacking.length) out.push({ userId, modules: lacking });
  }
  return out;
}

export interface TrainingMatrixRow {
  userId: string;
  displayName: string;
  email: string;
  departmentId: string | null;
  modules: ModuleStatus[];
  missing: Record<TrainingGate, string[]>;
}

/** People × modules for the training page: every active staff member, every module of the pack. */
export async function trainingMatrix(db: Kysely<DB>, orgId: string, pack: PolicyPack, now: Date): Promise<TrainingMatrixRow[]> {
  const people = await db.selectFrom('users').select(['id', 'display_name', 'email', 'department_id'])
    .where('org_id', '=', orgId).where('status', '=', 'active').orderBy('display_name').execute();
  const latest = latestByUserModule(await listCompletions(db, orgId));
  const today = cityToday(pack, now);
  return people.map((p) => {
    const s = statusFrom(pack, p.id, latest, today);
    return { userId: p.id, displayName: p.display_name, email: p.email, departmentId: p.department_id, modules: s.modules, missing: s.missing };
  });
}
