// The account registry over HTTP: thin routes that validate input and call the queries and
// commands. Lists are cut to what the reader's `account.view` grant reaches (city, department, own).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { scopeOf } from '../policy/can.js';
import {
  accessList, adminsByAccount, getAccount, listAccounts, visibleAccountFilter, ACCOUNT_STATUSES, type AccountView,
} from './accounts.queries.js';
import { activateAccount, isPublishingAllowed, reactivateAccount, suspendAccount, updateAccountFacts } from './accounts.commands.js';
import { complianceOf, failingChecks } from './compliance.js';
import { approvedPlatforms } from './platforms.js';
import { buildList, listFilename, listToCsv, LIST_KINDS, type ListScope } from './lists.js';

const idParams = z.object({ id: z.string().min(1).max(200) });
const nullableText = (max: number) => z.string().max(max).nullable().optional();

const factsBody = z.strictObject({
  handle: z.string().max(200).optional(),
  profileUrl: nullableText(2000),
  purpose: z.string().max(2000).optional(),
  signupEmail: nullableText(320),
  twofaEnabled: z.boolean().optional(),
  /** true: attest now that 2FA is on (recorded with the server's clock and the signed-in person). */
  twofaAttested: z.literal(true).optional(),
  websiteLinkPresent: z.boolean().optional(),
  aupLinkPresent: z.boolean().optional(),
  minutesReference: nullableText(500),
  boardName: nullableText(200),
  departmentId: z.string().min(1).max(200).nullable().optional(),
});

/** The account if it exists and the reader may see it; otherwise 404, as it is absent from their list. */
async function visibleAccount(request: FastifyRequest, id: string): Promise<AccountView> {
  const { actor } = sessionOf(request);
  const account = await getAccount(request.server.db, actor.orgId, id);
  const visible = await visibleAccountFilter(request.server.db, actor);
  if (!account || !visible(account)) throw notFound('Account');
  return account;
}

async function listScope(request: FastifyRequest): Promise<ListScope> {
  const { actor } = sessionOf(request);
  if (scopeOf(actor, 'account.view') === 'city') return {};
  return {
    account: await visibleAccountFilter(request.server.db, actor),
    person: (p) => (actor.departmentId !== null && p.departmentId === actor.departmentId) || p.id === actor.userId,
  };
}

export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/accounts', {
    config: { permission: 'account.view' },
    schema: {
      tags: ['accounts'], summary: 'Official accounts of this city',
      querystring: z.object({
        status: z.enum(ACCOUNT_STATUSES).optional(),
        platform: z.string().min(1).max(100).optional(),
        departmentId: z.string().min(1).max(200).optional(),
      }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const visible = await visibleAccountFilter(app.db, actor);
    return (await listAccounts(app.db, actor.orgId, request.query)).filter(visible);
  });

  r.get('/api/accounts/:id', {
    config: { permission: 'account.view' },
    schema: { tags: ['accounts'], summary: 'One account with its administrators, staff access, compliance and whether it may publish', params: idParams },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const account = await visibleAccount(request, request.params.id);
    const admins = await adminsByAccount(app.db, actor.orgId, actor.pack, [account.id]);
    const compliance = await complianceOf(app.db, actor.orgId, actor.pack, [account], new Date());
    return {
      account,
      admins: admins.get(account.id) ?? [],
      access: await accessList(app.db, actor.orgId, account.id),
      compliance: compliance.get(account.id) ?? [],
      publishing: await isPublishingAllowed(app.db, actor.orgId, account.id),
    };
  });

  r.post('/api/accounts/:id/activate', {
    config: { permission: 'account.manage' },
    schema: { tags: ['accounts'], summary: 'Mark an approved account live', params: idParams },
  }, async (request) => {
    await activateAccount(commandContext(request), request.params.id);
    return getAccount(app.db, sessionOf(request).actor.orgId, request.params.id);
  });

  r.post('/api/accounts/:id/suspend', {
    config: { permission: 'account.suspend' },
    schema: {
      tags: ['accounts'], summary: 'Shut an account down at once; nothing is published to it until reactivated (MN-2)',
      params: idParams, body: z.object({ reason: z.string().trim().min(1).max(2000) }),
    },
  }, async (request) => {
    await suspendAccount(commandContext(request), request.params.id, request.body.reason);
    return getAccount(app.db, sessionOf(request).actor.orgId, request.params.id);
  });

  r.post('/api/accounts/:id/reactivate', {
    config: { permission: 'account.manage' },
    schema: { tags: ['accounts'], summary: 'Bring a suspended account back', params: idParams },
  }, async (request) => {
    await reactivateAccount(commandContext(request), request.params.id);
    return getAccount(app.db, sessionOf(request).actor.orgId, request.params.id);
  });

  r.patch('/api/accounts/:id', {
    config: { permission: 'account.manage' },
    schema: { tags: ['accounts'], summary: 'Update what the registry records about an account', params: idParams, body: factsBody },
  }, async (request) => updateAccountFacts(commandContext(request), request.params.id, request.body));

  r.get('/api/compliance', {
    config: { permission: 'account.view' },
    schema: { tags: ['accounts'], summary: 'Failing and warning compliance checks across the city\'s live accounts' },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const visible = await visibleAccountFilter(app.db, actor);
    const all = await failingChecks(app.db, actor.orgId, actor.pack, new Date());
    return all.filter((f) => visible({ id: f.accountId, departmentId: f.departmentId }));
  });

  r.get('/api/platforms', {
    config: { permission: 'account.view' },
    schema: { tags: ['accounts'], summary: 'Platforms and tools approved for city use' },
  }, async (request) => {
    const { actor } = sessionOf(request);
    return approvedPlatforms(app.db, actor.orgId, actor.pack);
  });

  for (const kind of LIST_KINDS) {
    r.get(`/api/lists/${kind}`, {
      config: { permission: 'account.view' },
      schema: { tags: ['accounts'], summary: `The ${kind} list the policy requires the city to keep (KA-6)` },
    }, async (request) => {
      const { actor } = sessionOf(request);
      return buildList(app.db, actor.orgId, actor.pack, kind, await listScope(request));
    });

    r.get(`/api/lists/${kind}.csv`, {
      config: { permission: 'account.view' },
      schema: { tags: ['accounts'], summary: `The ${kind} list as CSV` },
    }, async (request, reply) => {
      const s = sessionOf(request);
      const list = await buildList(app.db, s.actor.orgId, s.actor.pack, kind, await listScope(request));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${listFilename(s.city.org.slug, kind, new Date())}"`)
        .send(listToCsv(list));
    });
  }
}
