// Training records and the gates they open, at the command level with a controlled clock: renewals
// expire, a new completion supersedes the old, and a lapse between submission and final approval
// stops the approval (LX-11, BZ-4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import type { CommandContext } from '../events/command.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { AppError } from '../http/errors.js';
import { addPerson } from './people.commands.js';
import { addMonths, recordCompletion } from './training.commands.js';
import { listCompletions, trainingStatus } from './training.queries.js';
import { decide, submitRequest } from '../accounts/requests.commands.js';

describe('addMonths', () => {
  it('adds calendar months and clamps to the end of a shorter month', () => {
    expect(addMonths('2024-11-15', 12)).toBe('2025-11-15');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-12-31', 3)).toBe('2026-03-31');
  });
});

describe.each(await availableBackends())('training on %s', (backend) => {
  let database: TestDatabase;
  let bz: TestCity;
  let ka: TestCity;
  let pack: PolicyPack;
  let parks = '';
  const ids = new Map<string, string>();
  const at = (iso: string) => () => new Date(`${iso}T18:00:00Z`);

  const ctxFor = async (city: TestCity, email: string, cityPack: PolicyPack, now: () => Date): Promise<CommandContext> => {
    const base = await cityContext(database.db, city.orgId);
    const user = await database.db.selectFrom('users').select(['id', 'department_id']).where('org_id', '=', city.orgId).where('email', '=', email).executeTakeFirstOrThrow();
    const roles = (await database.db.selectFrom('user_roles').select('role_id').where('user_id', '=', user.id).execute()).map((r) => r.role_id);
    return { ...base, now, actor: { kind: 'user', userId: user.id, orgId: city.orgId, label: email, roles, departmentId: user.department_id, pack: cityPack } };
  };
  const operator = async (city: TestCity, cityPack: PolicyPack, now: () => Date) => {
    const base = await cityContext(database.db, city.orgId);
    return { ...base, now, actor: { ...base.actor, pack: cityPack } };
  };
  const refusal = async (p: Promise<unknown>): Promise<AppError> => {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected a refusal');
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    bz = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    ka = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    // Bozeman as if its security training were renewed yearly and Facebook were on its list.
    pack = {
      ...bz.pack,
      training: bz.pack.training.map((m) => (m.id === 'security-awareness' ? { ...m, renewEveryMonths: 12 } : m)),
      platforms: [{ id: 'facebook', name: 'Facebook', sources: ['BZ-2'] }],
    };
    parks = (await database.db.selectFrom('departments').select('id').where('org_id', '=', bz.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow()).id;
    await database.db.updateTable('users').set({ department_id: parks }).where('org_id', '=', bz.orgId).execute();
    await addPerson(await cityContext(database.db, bz.orgId), { email: 'deputy@example.test', displayName: 'Deputy', password: TEST_PASSWORD, roles: ['department_director'], departmentId: parks });
    for (const u of await database.db.selectFrom('users').select(['id', 'email']).where('org_id', '=', bz.orgId).execute()) ids.set(u.email, u.id);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('expires a renewable module, and a new completion supersedes the old one', async () => {
    const it = await ctxFor(bz, 'it_director@example.test', pack, at('2025-01-10'));
    const editor = ids.get('content_editor@example.test') as string;
    await recordCompletion(it, { userId: editor, moduleId: 'security-awareness', completedOn: '2024-01-10', evidence: 'sign-in sheet' });
    const lapsed = await trainingStatus(database.db, bz.orgId, pack, editor, new Date('2025-02-01T12:00:00Z'));
    expect(lapsed.modules.find((m) => m.moduleId === 'security-awareness')).toMatchObject({ state: 'expired', expiresOn: '2025-01-10' });
    expect(lapsed.missing).toEqual({ site_creation: ['site-creation'], account_access: ['security-awareness'], content_submission: [] });

    await recordCompletion({ ...it, now: at('2025-02-01') }, { userId: editor, moduleId: 'security-awareness', completedOn: '2025-01-30' });
    const renewed = await trainingStatus(database.db, bz.orgId, pack, editor, new Date('2025-02-01T12:00:00Z'));
    expect(renewed.modules.find((m) => m.moduleId === 'security-awareness')).toMatchObject({ state: 'current', completedOn: '2025-01-30', expiresOn: '2026-01-30' });
    expect((await listCompletions(database.db, bz.orgId, { userId: editor })).map((c) => c.completedOn)).toEqual(['2025-01-30', '2024-01-10']);
    // Append-only: the record of past training cannot be rewritten.
    await expect(sql`UPDATE training_completions SET completed_on = '2020-01-01'`.execute(database.db)).rejects.toThrow();
  });

  it('refuses unknown modules, future dates, and people without training.manage', async () => {
    const it = await ctxFor(bz, 'it_director@example.test', pack, at('2025-03-01'));
    const editor = ids.get('content_editor@example.test') as string;
    expect((await refusal(recordCompletion(it, { userId: editor, moduleId: 'fire-safety', completedOn: '2025-01-01' }))).details.fields?.[0]?.path).toBe('body.moduleId');
    expect((await refusal(recordCompletion(it, { userId: editor, moduleId: 'site-creation', completedOn: '2025-03-02' }))).details.fields?.[0]?.message).toBe('is in the future');
    expect((await refusal(recordCompletion(it, { userId: editor, moduleId: 'site-creation', completedOn: '2025-02-30' }))).status).toBe(400);
    const director = await ctxFor(bz, 'department_director@example.test', pack, at('2025-03-01'));
    expect((await refusal(recordCompletion(director, { userId: editor, moduleId: 'site-creation', completedOn: '2025-01-01' }))).status).toBe(403);
  });

  it('requires nothing where the pack has no modules (Kalispell)', async () => {
    const someone = (await database.db.selectFrom('users').select('id').where('org_id', '=', ka.orgId).executeTakeFirstOrThrow()).id;
    const status = await trainingStatus(database.db, ka.orgId, ka.pack, someone, new Date());
    expect(status).toEqual({ userId: someone, modules: [], missing: { site_creation: [], account_access: [], content_submission: [] } });
    const op = await cityContext(database.db, ka.orgId);
    const err = await refusal(recordCompletion(op, { userId: someone, moduleId: 'anything', completedOn: '2025-01-01' }));
    expect(err.details.fields?.[0]?.message).toContain('requires no training modules');
  });

  it('stops the final approval when an administrator\'s training lapsed after submission', async () => {
    const op = await operator(bz, pack, at('2025-01-10'));
    const director = ids.get('department_director@example.test') as string;
    const itStaff = ids.get('it_staff@example.test') as string;
    await recordCompletion(op, { userId: director, moduleId: 'site-creation', completedOn: '2025-01-10' });
    await recordCompletion(op, { userId: itStaff, moduleId: 'security-awareness', completedOn: '2025-01-10' });

    const requester = await ctxFor(bz, 'department_director@example.test', pack, at('2025-12-01'));
    const id = await submitRequest(requester, 'newAccount', {
      platform: 'facebook', handle: '@BozemanTrails', departmentId: parks, purpose: 'Trails', signupEmail: 'trails@bozeman.net', administrators: [itStaff],
    });
    await decide(await ctxFor(bz, 'deputy@example.test', pack, at('2025-12-15')), id, { decision: 'approved' });
    const late = await ctxFor(bz, 'it_director@example.test', pack, at('2026-02-01'));
    const err = await refusal(decide(late, id, { decision: 'approved' }));
    expect(err.details).toMatchObject({ rule: 'training.account_access', sources: ['BZ-12'] });
    const still = await database.db.selectFrom('approval_requests').select(['status', 'current_step']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(still).toEqual({ status: 'pending', current_step: 1 });
    expect(await database.db.selectFrom('accounts').select('id').where('handle', '=', '@BozemanTrails').execute()).toEqual([]);

    await recordCompletion({ ...op, now: at('2026-02-01') }, { userId: itStaff, moduleId: 'security-awareness', completedOn: '2026-01-20' });
    expect(await decide(late, id, { decision: 'approved' })).toMatchObject({ status: 'approved' });
  });
});
