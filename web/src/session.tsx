// Who is signed in. Loads GET /api/session once, keeps the CSRF token for the API client, and lets
// pages refresh it after signing in or out.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api.js';
import type { Session } from './types.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; error?: string; /** True right after the person signed out here. */ justSignedOut?: boolean }
  | { status: 'signed_in'; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** Reloads the session from the server; resolves to the new state. */
  refresh: () => Promise<SessionState>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function loadSession(): Promise<SessionState> {
  try {
    const session = await api.get<Session>('/api/session', { quiet401: true });
    setCsrfToken(session.csrfToken);
    return { status: 'signed_in', session };
  } catch (err) {
    setCsrfToken(null);
    if (err instanceof ApiError && err.status === 401) return { status: 'signed_out' };
    return { status: 'signed_out', error: err instanceof Error ? err.message : 'Could not load your session' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    const next = await loadSession();
    setState(next);
    return next;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', {}, { quiet401: true });
    } catch {
      // Signed out already (expired session): nothing more to do.
    }
    setCsrfToken(null);
    setState({ status: 'signed_out', justSignedOut: true });
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthorizedHandler(() => {
      void refresh();
    });
    return () => setUnauthorizedHandler(null);
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in session; only for components rendered behind <RequireSession>. */
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useSignedIn used outside a signed-in page');
  return state.session;
}

/**
 * What a page or link needs: one permission, any of several, or `'self'` (any fully signed-in
 * person: their own requests and notifications need no permission).
 */
export type Need = string | readonly string[];

export function hasPermission(session: Session, permission: Need): boolean {
  if (permission === 'self') return true;
  if (typeof permission === 'string') return session.permissions.includes(permission);
  return permission.some((p) => session.permissions.includes(p));
}

/** The widest scope of a permission the person holds: 'department' means their department only. */
export function scopeOf(session: Session, permission: string): 'city' | 'department' | 'own' | null {
  if (!session.permissions.includes(permission)) return null;
  return session.scopes?.[permission] ?? 'city';
}
