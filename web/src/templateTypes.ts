// Shapes of the emergency and template API's JSON (src/content/templates.*, listIncidents), as the
// Incidents page reads them. Nothing here imports server code.
import type { ContentCategory, Finding, Incident } from './contentTypes.js';

export interface TemplateView {
  id: string;
  title: string;
  /** The text, blanks written {{name}}. */
  body: string;
  blanks: string[];
  category: string | null;
  /** Empty when the template names no accounts. */
  accountIds: string[];
  departmentId: string | null;
  authorName: string;
  editorName: string;
  version: number;
  findings: Finding[];
  updatedAt: string;
  approval: {
    approved: boolean;
    /** Approved under an earlier version of the policy: it must be approved again. */
    stale: boolean;
    steps: Array<{ step: number; roleTitle: string; label: string; approvedBy: string | null; at: string | null }>;
  };
  awaitsMe: boolean;
  mayEdit: boolean;
}

export interface IncidentUpdate {
  id: string;
  text: string;
  status: string;
  updatedAt: string;
}

/** GET /api/incidents: emergencies carry their lead and their updates so far. */
export interface IncidentWithUpdates extends Incident {
  leadName: string | null;
  updates: IncidentUpdate[];
}

/** The part of GET /api/policy the Incidents page reads: categories, and who may lead an emergency. */
export interface IncidentPolicy {
  pack: {
    content?: { categories?: ContentCategory[] };
    roles: Array<{ id: string; title: string; grants: string[] }>;
  };
}

/** Titles of the roles that may open (lead) an emergency. */
export function leadRoleTitles(policy: IncidentPolicy): string[] {
  return policy.pack.roles.filter((r) => r.grants.some((g) => g.split('@')[0] === 'incident.lead')).map((r) => r.title);
}

export interface TemplateUpdateOutcome {
  id: string;
  status: string;
  exact: boolean;
  text: string;
  published: Array<{ accountId: string; status: 'published' | 'failed' | 'skipped'; url?: string | null; error?: string }>;
}

const BLANK = /\{\{\s*([a-z][a-z0-9_]{0,39})\s*\}\}/g;

/** The template's text with the values in its blanks (as the server fills it); an empty blank shows as [Name]. */
export function fillBlanks(body: string, values: Record<string, string>): string {
  return body.replace(BLANK, (_whole, name: string) => values[name]?.trim() || `[${blankLabel(name)}]`);
}

/** The text split into plain parts and blanks, for showing the blanks marked. */
export function templateParts(body: string): Array<{ text: string; blank: boolean }> {
  const parts: Array<{ text: string; blank: boolean }> = [];
  let last = 0;
  for (const m of body.matchAll(BLANK)) {
    if (m.index > last) parts.push({ text: body.slice(last, m.index), blank: false });
    parts.push({ text: m[1] as string, blank: true });
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last), blank: false });
  return parts;
}

/** "location" → "Location", "start_time" → "Start time". */
export function blankLabel(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Where a template's approval stands, in words. */
export function approvalWords(t: TemplateView): string {
  if (t.approval.approved) {
    const by = t.approval.steps.map((s) => `${s.approvedBy ?? 'someone'} (${s.roleTitle})`).join(', then ');
    return `Approved by ${by}`;
  }
  const next = t.approval.steps.find((s) => !s.approvedBy);
  const n = t.approval.steps.length;
  const waiting = next ? `Waiting for the ${next.roleTitle}${n > 1 ? ` (step ${next.step + 1} of ${n})` : ''}` : 'Waiting for approval';
  return t.approval.stale ? `${waiting}: the city's policy changed since it was approved` : waiting;
}
