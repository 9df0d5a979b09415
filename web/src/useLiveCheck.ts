// Checks a draft against the city's policy while it is written: 400 ms after the last change the
// form goes to POST /api/content/check (nothing is saved), and a newer change cancels an older
// check still on its way.
import { useEffect, useState } from 'react';
import { api } from './api.js';
import type { Finding } from './contentTypes.js';

export const CHECK_DELAY_MS = 400;

export interface LiveCheck {
  findings: Finding[];
  /** A check is waiting or on its way. */
  checking: boolean;
  /** The findings describe the form as it is now. */
  current: boolean;
  error: unknown;
}

/** `body` null: nothing to check yet (no text). `key` changes whenever the body does. */
export function useLiveCheck(body: Record<string, unknown> | null): LiveCheck {
  const key = body ? JSON.stringify(body) : '';
  const [state, setState] = useState<{ key: string; findings: Finding[]; error: unknown }>({ key: '', findings: [], error: null });
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (!key) {
      setChecking(false);
      setState({ key: '', findings: [], error: null });
      return;
    }
    setChecking(true);
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api.post<{ findings: Finding[] }>('/api/content/check', JSON.parse(key) as unknown, { signal: controller.signal })
        .then((res) => {
          setState({ key, findings: res.findings, error: null });
          setChecking(false);
        })
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setState((s) => ({ ...s, key, error }));
          setChecking(false);
        });
    }, CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key]);

  return { findings: key ? state.findings : [], checking, current: state.key === key && !checking, error: state.error };
}
