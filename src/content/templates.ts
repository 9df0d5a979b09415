// Pre-approved emergency templates, the pure part (LX-5, BZ-6, BZ-8): a template's text has named
// blanks written {{name}}; an update fills every blank with a short value and nothing else, so the
// text published is the approved text. Which steps of the content chain a template's approval
// stands for, and whether a template version is approved under the pack in force, are worked out
// here from the stored approvals alone.
import type { PolicyPack } from '../policy/pack.schema.js';
import type { FieldError } from '../http/errors.js';
import type { Finding } from './checks/index.js';

/** A blank: {{name}}, the name lower-case letters, digits and underscores. */
const BLANK = /\{\{\s*([a-z][a-z0-9_]{0,39})\s*\}\}/g;
export const MAX_BLANKS = 20;
/** Blanks hold a place, a time, a road: a value longer than this is a new text, not a filled blank. */
export const MAX_VALUE = 200;

/** The blank names in order of first appearance. */
export function blanksOf(body: string): string[] {
  return [...new Set([...body.matchAll(BLANK)].map((m) => m[1] as string))];
}

/** What is wrong with a template's text: braces that do not form a blank, too many blanks. */
export function bodyProblems(body: string): string[] {
  const problems: string[] = [];
  const rest = body.replace(BLANK, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    problems.push('write each blank as {{name}}, the name in lower-case letters, digits or underscores (e.g. {{location}})');
  }
  if (blanksOf(body).length > MAX_BLANKS) problems.push(`at most ${MAX_BLANKS} different blanks`);
  return problems;
}

export function fillBlanks(body: string, values: Record<string, string>): string {
  return body.replace(BLANK, (whole, name: string) => values[name] ?? whole);
}

/** The text the policy checks read for the template itself: each blank as [name]. */
export function placeholderText(body: string): string {
  return body.replace(BLANK, (_whole, name: string) => `[${name.replace(/_/g, ' ')}]`);
}

/** Every blank filled (trimmed, one line, not too long), and nothing else given. */
export function valueProblems(blanks: string[], values: Record<string, string>): FieldError[] {
  const problems: FieldError[] = [];
  for (const name of blanks) {
    const value = (values[name] ?? '').trim();
    const path = `body.values.${name}`;
    if (!value) problems.push({ path, message: 'fill in this blank' });
    else if (value.length > MAX_VALUE) problems.push({ path, message: `at most ${MAX_VALUE} characters: a blank holds a detail, not a new text` });
    else if (/[\r\n]/.test(value)) problems.push({ path, message: 'one line only' });
    else if (value.includes('{{') || value.includes('}}')) problems.push({ path, message: 'a value cannot contain {{ or }}' });
  }
  for (const name of Object.keys(values)) {
    if (!blanks.includes(name)) problems.push({ path: `body.values.${name}`, message: 'this template has no such blank' });
  }
  return problems;
}

export function trimmedValues(blanks: string[], values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(blanks.map((name) => [name, (values[name] ?? '').trim()]));
}

/** The field a finding on the filled text points at: the blank whose value holds the offending text. */
export function fieldOf(finding: Finding, values: Record<string, string>): string {
  const excerpt = finding.excerpt?.trim();
  if (excerpt) {
    const hit = Object.entries(values).find(([, v]) => v.includes(excerpt) || excerpt.includes(v));
    if (hit) return `body.values.${hit[0]}`;
  }
  return 'body.text';
}

export interface TemplateStep {
  step: number;
  role: string;
  roleTitle: string;
  label: string;
}

/**
 * The steps of the content chain a template's approval stands for: those whose role may approve
 * content (a step that only posts, like Bozeman's content editor, is the publisher's and stays with
 * whoever posts the update). A chain of posting steps only is approved by all of them.
 */
export function approvingSteps(pack: PolicyPack): TemplateStep[] {
  const title = (role: string) => pack.roles.find((r) => r.id === role)?.title ?? role;
  const approves = (role: string) => pack.roles.find((r) => r.id === role)?.grants.some((g) => g.split('@')[0] === 'content.approve') ?? false;
  const steps = pack.approvalChains.content.steps.map((s) => ({ role: s.role, roleTitle: title(s.role), label: s.label }));
  const approving = steps.filter((s) => approves(s.role));
  return (approving.length ? approving : steps).map((s, step) => ({ step, ...s }));
}

export interface StoredApproval {
  version: number;
  step: number;
  role: string;
  user_id: string;
  pack_version: string;
  created_at: string;
}

export interface ApprovalState {
  steps: Array<TemplateStep & { approval: { userId: string; at: string; packVersion: string } | null }>;
  /** The step waiting for a decision, or null when approved. */
  next: number | null;
  approved: boolean;
  /** Approved (or partly) under an earlier pack: the policy changed, so it must be approved again. */
  stale: boolean;
}

/** Only approvals of this version under the pack in force count; the steps are decided in order. */
export function approvalState(pack: PolicyPack, packVersion: string, version: number, rows: readonly StoredApproval[]): ApprovalState {
  const current = rows.filter((r) => r.version === version && r.pack_version === packVersion);
  const steps = approvingSteps(pack).map((s) => {
    const hit = current.find((r) => r.step === s.step && r.role === s.role);
    return { ...s, approval: hit ? { userId: hit.user_id, at: hit.created_at, packVersion: hit.pack_version } : null };
  });
  const pending = steps.find((s) => s.approval === null);
  const stale = rows.some((r) => r.version === version && r.pack_version !== packVersion);
  return { steps, next: pending ? pending.step : null, approved: !pending, stale: stale && Boolean(pending) };
}
