import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { addDepartment, addPerson, disablePerson, setRoles } from './people.commands.js';
import { listDepartments, listPeople, type PersonView } from './people.queries.js';
import { scopeOf, type Actor } from '../policy/can.js';

const idParams = z.object({ id: z.string().min(1) });

/** A department-scoped grant (e.g. a Department Director's) shows only that department's staff. */
function visibleTo(actor: Actor, people: PersonView[]): PersonView[] {
  const scope = scopeOf(actor, 'staff.view');
  if (scope === 'city') return people;
  if (scope === 'department') return people.filter((p) => p.departmentId !== null && p.departmentId === actor.departmentId);
  return people.filter((p) => p.id === actor.userId);
}

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/people', {
    config: { permission: 'staff.view' },
    schema: { tags: ['people'], summary: 'Staff of this city with their roles and departments' },
  }, async (request) => {
    const s = sessionOf(request);
    const people = visibleTo(s.actor, await listPeople(app.db, s.actor.orgId));
    return people.map((p) => ({
      ...p,
      roleTitles: p.roles.map((id) => s.city.pack.roles.find((role) => role.id === id)?.title ?? id),
    }));
  });

  // Every signed-in staff member may see who works for the city (names, departments, roles) so
  // that requests can name administrators and approvers; sign-in state and lockouts stay private.
  r.get('/api/people/directory', {
    config: { permission: 'self' },
    schema: { tags: ['people'], summary: 'Active staff of this city: name, e-mail, department and roles' },
  }, async (request) => {
    const s = sessionOf(request);
    return (await listPeople(app.db, s.actor.orgId)).filter((p) => p.status === 'active').map((p) => ({
      id: p.id, email: p.email, displayName: p.displayName, departmentId: p.departmentId, department: p.department,
      roles: p.roles, roleTitles: p.roles.map((id) => s.city.pack.roles.find((role) => role.id === id)?.title ?? id),
    }));
  });

  r.post('/api/people', {
    config: { permission: 'staff.manage' },
    schema: {
      tags: ['people'],
      summary: 'Add a staff member',
      body: z.object({
        email: z.string().email(),
        displayName: z.string().trim().min(1).max(200),
        password: z.string().min(1).max(1024),
        roles: z.array(z.string().min(1)).max(20),
        departmentId: z.string().min(1).nullable().optional(),
      }),
    },
  }, async (request, reply) => {
    const id = await addPerson(commandContext(request), request.body);
    return reply.status(201).send({ id });
  });

  r.put('/api/people/:id/roles', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['people'], summary: 'Replace a staff member\'s roles', params: idParams, body: z.object({ roles: z.array(z.string().min(1)).max(20) }) },
  }, async (request) => {
    await setRoles(commandContext(request), request.params.id, request.body.roles);
    return { status: 'ok' };
  });

  r.post('/api/people/:id/disable', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['people'], summary: 'Disable a staff member\'s sign-in (kept for the record, never deleted)', params: idParams },
  }, async (request) => {
    await disablePerson(commandContext(request), request.params.id);
    return { status: 'ok' };
  });

  r.get('/api/departments', {
    config: { permission: 'staff.view' },
    schema: { tags: ['people'], summary: 'Departments' },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const all = await listDepartments(app.db, actor.orgId);
    return scopeOf(actor, 'staff.view') === 'city' ? all : all.filter((d) => d.id === actor.departmentId);
  });

  r.post('/api/departments', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['people'], summary: 'Add a department', body: z.object({ name: z.string().trim().min(1).max(200) }) },
  }, async (request, reply) => {
    const id = await addDepartment(commandContext(request), request.body.name);
    return reply.status(201).send({ id });
  });
}
