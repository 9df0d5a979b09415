import { describe, expect, it } from 'vitest';
import { can, decide, permissionsOf, type Actor } from './can.js';
import { loadBundledPack } from './pack.loader.js';
import type { PolicyPack } from './pack.schema.js';

const base = loadBundledPack('kalispell-mt');
// A pack variant with scoped grants, to exercise department and own scopes.
const pack: PolicyPack = {
  ...base,
  roles: [
    ...base.roles,
    { id: 'dept_approver', title: 'Department Approver', description: 'test', grants: ['content.approve@department'], sources: ['KA-1'] },
    { id: 'own_submitter', title: 'Own Submitter', description: 'test', grants: ['content.submit@own'], sources: ['KA-1'] },
  ],
};

const actor = (roles: string[], extra: Partial<Actor> = {}): Actor => ({
  kind: 'user', userId: 'u1', orgId: 'city-a', label: 'Test', roles, departmentId: 'parks', pack, ...extra,
});

describe('can()', () => {
  it('follows the pack: the Communications Manager publishes, a Content Submitter does not (KA-1)', () => {
    const publisher = pack.roles.find((r) => r.grants.includes('content.publish'));
    expect(publisher?.title).toBe('Communications Manager');
    expect(can(actor([publisher!.id]), 'content.publish', { orgId: 'city-a' })).toBe(true);
    const submitter = pack.roles.find((r) => r.title === 'Content Submitter');
    const refused = decide(actor([submitter!.id]), 'content.publish', { orgId: 'city-a' });
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toContain('Communications Manager');
    expect(refused.sources.length).toBeGreaterThan(0);
  });

  it('never crosses cities, whatever the roles', () => {
    const all = pack.roles.map((r) => r.id);
    expect(can(actor(all), 'staff.view', { orgId: 'city-b' })).toBe(false);
    expect(can(actor([], { kind: 'operator' }), 'staff.manage', { orgId: 'city-b' })).toBe(false);
  });

  it('limits department and own scopes to the actor\'s department and items', () => {
    const a = actor(['dept_approver']);
    expect(can(a, 'content.approve', { orgId: 'city-a', departmentId: 'parks' })).toBe(true);
    expect(can(a, 'content.approve', { orgId: 'city-a', departmentId: 'police' })).toBe(false);
    expect(can(a, 'content.approve', { orgId: 'city-a' })).toBe(false);
    const o = actor(['own_submitter']);
    expect(can(o, 'content.submit', { orgId: 'city-a', ownerId: 'u1' })).toBe(true);
    expect(can(o, 'content.submit', { orgId: 'city-a', ownerId: 'u2' })).toBe(false);
  });

  it('lists what a person may do for the UI', () => {
    expect(permissionsOf(actor(['dept_approver']))).toEqual(['content.approve']);
    expect(permissionsOf(actor([]))).toEqual([]);
  });
});
