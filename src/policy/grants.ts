// A grant is how a pack gives a role one action: "content.approve" (whole city) or
// "content.approve@department". Parsing lives here so the schema and `can()` read grants the same way.
import { ACTIONS, SCOPES, isAction, type Action, type Scope } from './actions.js';

export interface Grant {
  action: Action;
  scope: Scope;
}

export type GrantParse = { ok: true; grant: Grant } | { ok: false; message: string };

function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Reads "action" or "action@scope"; no suffix means the whole city. */
export function parseGrant(text: string): GrantParse {
  const at = text.indexOf('@');
  const action = at === -1 ? text : text.slice(0, at);
  const scope = at === -1 ? 'city' : text.slice(at + 1);
  if (!isAction(action)) {
    return {
      ok: false,
      message: `unknown action "${action}" in grant "${text}"; expected one of: ${ACTIONS.join(', ')}`,
    };
  }
  if (!isScope(scope)) {
    return {
      ok: false,
      message: `unknown scope "${scope}" in grant "${text}"; expected one of: ${SCOPES.join(', ')} (no suffix means city)`,
    };
  }
  return { ok: true, grant: { action, scope } };
}

/** Wider scopes include narrower ones: a city-wide grant also covers the department and own items. */
export const SCOPE_RANK: Record<Scope, number> = { own: 0, department: 1, city: 2 };
