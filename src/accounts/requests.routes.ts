import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { forbidden, notFound } from '../http/errors.js';
import { decide as can, scopeOf, type Actor } from '../policy/can.js';
import {
  AccountDeletionSubject, AdminChangeSubject, NewAccountSubject, PlatformSubject, StaffAccessSubject,
  decide, submitRequest, withdrawRequest,
} from './requests.commands.js';
import { getRequest, listRequests, requestQueue, stepRoles, type RequestView } from './requests.queries.js';

const idParams = z.object({ id: z.string().min(1) });

const SubmitBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('newAccount'), subject: NewAccountSubject }),
  z.object({ type: z.literal('adminChange'), subject: AdminChangeSubject }),
  z.object({ type: z.literal('staffAccess'), subject: StaffAccessSubject }),
  z.object({ type: z.literal('accountDeletion'), subject: AccountDeletionSubject }),
  z.object({ type: z.literal('platform'), subject: PlatformSubject }),
]);

/** Everyone may see their own requests and those they take part in; account.view reaches further by scope. */
function visible(actor: Actor, r: RequestView): boolean {
  if (r.requestedBy.id === actor.userId || r.subject.userId === actor.userId) return true;
  const scope = scopeOf(actor, 'account.view');
  if (scope === 'city') return true;
  if (scope === 'department' && r.departmentId !== null && r.departmentId === actor.departmentId) return true;
  return r.chain.steps.some((s) => stepRoles(s).some((role) => actor.roles.includes(role)));
}

export async function requestsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // 'self', with the reach decided here: a person's own queue (?queue=mine) and own submissions
  // (?queue=submitted) need no permission, because approvers such as a Department Supervisor may
  // hold no account.view at all; the full list needs account.view, filtered by its scope.
  r.get('/api/requests', {
    config: { permission: 'self' },
    schema: {
      tags: ['requests'],
      summary: 'Approval requests: all (account.view), my approval queue (?queue=mine) or mine (?queue=submitted)',
      querystring: z.object({
        queue: z.enum(['mine', 'submitted']).optional(),
        status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).optional(),
        type: z.enum(['newAccount', 'adminChange', 'staffAccess', 'accountDeletion', 'platform']).optional(),
      }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const { queue, ...filter } = request.query;
    if (queue === 'mine') return requestQueue(app.db, actor);
    const all = await listRequests(app.db, actor.orgId, filter);
    if (queue === 'submitted') return all.filter((x) => x.requestedBy.id === actor.userId);
    if (scopeOf(actor, 'account.view') === null) {
      const d = can(actor, 'account.view', { orgId: actor.orgId });
      throw forbidden(`Not allowed: ${d.reason}`, 'account.view', d.sources);
    }
    return all.filter((x) => visible(actor, x));
  });

  r.get('/api/requests/:id', {
    config: { permission: 'self' },
    schema: { tags: ['requests'], summary: 'One request with its chain and every step\'s decision', params: idParams },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const found = await getRequest(app.db, actor.orgId, request.params.id);
    // Not found and not visible look the same, so ids cannot be probed.
    if (!found || !visible(actor, found)) throw notFound('Request');
    return found;
  });

  // 'self': a newAccount, adminChange, deletion or platform request needs account.request and a staff
  // access request needs access.request; one route serves both, so the command checks which applies.
  r.post('/api/requests', {
    config: { permission: 'self' },
    schema: { tags: ['requests'], summary: 'Submit a request through the policy\'s approval chain', body: SubmitBody },
  }, async (request, reply) => {
    const id = await submitRequest(commandContext(request), request.body.type, request.body.subject);
    return reply.status(201).send({ id });
  });

  // 'self': the approval chain is the rule here, not a permission. Each step names a role (some,
  // like Red Lodge's Department Supervisor, hold no account.approve), and the command checks that the
  // person holds the current step's role, is not the requester and has not decided an earlier step.
  r.post('/api/requests/:id/decision', {
    config: { permission: 'self' },
    schema: {
      tags: ['requests'],
      summary: 'Approve or reject the current step of a request',
      params: idParams,
      body: z.object({ decision: z.enum(['approved', 'rejected']), comment: z.string().trim().max(4000).nullable().optional() }),
    },
  }, async (request) => {
    await decide(commandContext(request), request.params.id, request.body);
    return getRequest(app.db, sessionOf(request).actor.orgId, request.params.id);
  });

  // 'self': only the requester may withdraw, whatever roles they hold now; the command checks it.
  r.post('/api/requests/:id/withdraw', {
    config: { permission: 'self' },
    schema: { tags: ['requests'], summary: 'Withdraw my pending request (kept on record)', params: idParams },
  }, async (request) => {
    await withdrawRequest(commandContext(request), request.params.id);
    return getRequest(app.db, sessionOf(request).actor.orgId, request.params.id);
  });
}
