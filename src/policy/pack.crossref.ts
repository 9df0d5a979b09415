// Checks that need the whole pack: every role a rule names must exist, ids must be unique, and the
// pack must leave the city administrable. Zod runs these only once every field has the right shape.
import type { z } from 'zod';
import type { Action } from './actions.js';
import { parseGrant } from './grants.js';
import { blanksIn, walkStrings, type PathSegment } from './pack.blanks.js';
import { isIsoDate, quote } from './pack.fields.js';
import { CHAIN_KEYS } from './pack.constants.js';
import type { PolicyPack } from './pack.schema.js';

type Ctx = z.RefinementCtx;
type Role = PolicyPack['roles'][number];

function fail(ctx: Ctx, path: PathSegment[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function holds(role: Role, action: Action): boolean {
  return role.grants.some((text) => {
    const parsed = parseGrant(text);
    return parsed.ok && parsed.grant.action === action;
  });
}

function checkUnique(ctx: Ctx, items: readonly { id: string }[], path: PathSegment[], what: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) fail(ctx, [...path, index, 'id'], `duplicate ${what} id ${quote(item.id)}`);
    seen.add(item.id);
  });
}

/** Every place a pack names a role, with the action that role must hold there (if any). */
function roleReferences(pack: PolicyPack): { path: PathSegment[]; role: string; needs?: Action[] }[] {
  const refs: { path: PathSegment[]; role: string; needs?: Action[] }[] = [];
  for (const key of CHAIN_KEYS) {
    pack.approvalChains[key].steps.forEach((step, i) =>
      refs.push({ path: ['approvalChains', key, 'steps', i, 'role'], role: step.role }),
    );
  }
  const m = pack.moderation;
  const list = (name: 'responders' | 'fallbackResponders' | 'reportTo' | 'hideDelete', needs?: Action[]) =>
    m[name].forEach((role, i) => refs.push({ path: ['moderation', name, i], role, needs }));
  list('responders', ['comment.respond']);
  list('fallbackResponders', ['comment.respond']);
  list('reportTo');
  list('hideDelete', ['comment.hide', 'comment.delete']);
  if (m.attorneyRole) {
    refs.push({ path: ['moderation', 'attorneyRole'], role: m.attorneyRole, needs: ['comment.removal.approve'] });
  }
  const s = pack.security;
  if (s.itAdminRole) refs.push({ path: ['security', 'itAdminRole'], role: s.itAdminRole });
  if (s.credentialsCustodianRole) {
    refs.push({
      path: ['security', 'credentialsCustodianRole'],
      role: s.credentialsCustodianRole,
      needs: ['credentials.manage'],
    });
  }
  if (s.vandalismNotifyRole) refs.push({ path: ['security', 'vandalismNotifyRole'], role: s.vandalismNotifyRole });
  pack.training.forEach((t, i) => {
    if (t.providedBy) refs.push({ path: ['training', i, 'providedBy'], role: t.providedBy });
  });
  refs.push({ path: ['review', 'reviewerRole'], role: pack.review.reviewerRole });
  if (pack.records) {
    refs.push({ path: ['records', 'custodianRole'], role: pack.records.custodianRole, needs: ['records.request.manage'] });
  }
  return refs;
}

function checkRoles(pack: PolicyPack, ctx: Ctx): void {
  checkUnique(ctx, pack.roles, ['roles'], 'role');
  const byId = new Map(pack.roles.map((role) => [role.id, role]));
  const known = pack.roles.map((role) => role.id).join(', ');
  for (const ref of roleReferences(pack)) {
    const role = byId.get(ref.role);
    if (!role) {
      fail(ctx, ref.path, `unknown role ${quote(ref.role)}; expected one of the pack's role ids: ${known}`);
    } else if (ref.needs && !ref.needs.some((action) => holds(role, action))) {
      fail(ctx, ref.path, `role ${quote(ref.role)} is named here but grants none of: ${ref.needs.join(', ')}`);
    }
  }
  // Without these two a city could be installed that nobody can staff or audit.
  for (const action of ['staff.manage', 'events.view'] as const) {
    if (!pack.roles.some((role) => holds(role, action))) {
      fail(ctx, ['roles'], `no role grants "${action}"; expected at least one role to hold it so the city can be administered`);
    }
  }
}

function checkRules(pack: PolicyPack, ctx: Ctx): void {
  const m = pack.moderation;
  if (m.removalRequiresAttorneyApproval && !m.attorneyRole) {
    fail(ctx, ['moderation', 'attorneyRole'], 'expected a role id: removalRequiresAttorneyApproval is true, so someone must approve removals');
  }
  const s = pack.security;
  if (s.itAdminOnEveryAccount && !s.itAdminRole) {
    fail(ctx, ['security', 'itAdminRole'], 'expected a role id: itAdminOnEveryAccount is true, so the IT administrator role must be named');
  }
  if (s.twoFactorRequired !== (s.twoFactorAttestationDays !== null)) {
    fail(
      ctx,
      ['security', 'twoFactorAttestationDays'],
      `expected a number of days when twoFactorRequired is true and null when it is false, found ${quote(s.twoFactorAttestationDays)}`,
    );
  }
  // The custodian takes in every request, whatever department holds the records: a grant limited
  // to one department would leave forwarded requests nobody may open.
  const custodian = pack.records && pack.roles.find((role) => role.id === pack.records?.custodianRole);
  if (custodian && holds(custodian, 'records.request.manage') && !custodian.grants.includes('records.request.manage')) {
    fail(ctx, ['records', 'custodianRole'], `role ${quote(custodian.id)} grants records.request.manage only for part of the city; expected the grant "records.request.manage" without a scope`);
  }
  const r = pack.review;
  if (r.requiredByPolicy && r.sources.length === 0) {
    fail(ctx, ['review', 'sources'], 'expected at least one POLICY-MAP id: requiredByPolicy is true, so cite the requirement');
  }
  if (r.nextReviewDue && isIsoDate(r.adoptedOn) && isIsoDate(r.nextReviewDue)) {
    const latest = new Date(`${r.adoptedOn}T00:00:00Z`);
    latest.setUTCMonth(latest.getUTCMonth() + r.cycleMonths);
    if (r.nextReviewDue <= r.adoptedOn || new Date(`${r.nextReviewDue}T00:00:00Z`) > latest) {
      fail(
        ctx,
        ['review', 'nextReviewDue'],
        `expected a date after ${r.adoptedOn} and no later than ${latest.toISOString().slice(0, 10)} (${r.cycleMonths} months), found ${quote(r.nextReviewDue)}`,
      );
    }
  }
}

function checkIds(pack: PolicyPack, ctx: Ctx): void {
  checkUnique(ctx, pack.acceptableUse.clauses, ['acceptableUse', 'clauses'], 'clause');
  checkUnique(ctx, pack.training, ['training'], 'training');
  checkUnique(ctx, pack.disclosures, ['disclosures'], 'disclosure');
  checkUnique(ctx, pack.platforms, ['platforms'], 'platform');
  checkUnique(ctx, pack.content.standards, ['content', 'standards'], 'standard');
  checkUnique(ctx, pack.retention.map((r) => ({ id: r.series })), ['retention'], 'retention series');
  const codes = new Set<string>();
  pack.records?.exemptions.forEach((e, i) => {
    if (codes.has(e.code)) fail(ctx, ['records', 'exemptions', i, 'code'], `duplicate exemption code ${quote(e.code)}`);
    codes.add(e.code);
  });
  if (pack.template) checkUnique(ctx, pack.template.blanks.map((b) => ({ id: b.key })), ['template', 'blanks'], 'blank');
}

function checkBlanksDeclared(pack: PolicyPack, ctx: Ctx): void {
  const declared = new Set(pack.template?.blanks.map((blank) => blank.key) ?? []);
  const reported = new Set<string>();
  walkStrings(pack, (path, text) => {
    for (const key of blanksIn(text)) {
      if (declared.has(key) || reported.has(key)) continue;
      reported.add(key);
      fail(ctx, path, `blank {{${key}}} is not declared; expected an entry with key "${key}" in template.blanks`);
    }
  });
}

export function checkPackReferences(pack: PolicyPack, ctx: Ctx): void {
  checkRoles(pack, ctx);
  checkRules(pack, ctx);
  checkIds(pack, ctx);
  checkBlanksDeclared(pack, ctx);
}
