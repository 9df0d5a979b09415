// Loads JSON from a GET endpoint for a page, with a reload function for after changes.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

export function useApi<T>(path: string | null): { state: Loadable<T>; reload: () => Promise<void> } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    api.get<T>(path, { signal: controller.signal })
      .then((data) => setState({ status: 'ready', data }))
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setState({ status: 'error', error });
      });
    return () => controller.abort();
  }, [path]);

  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      const data = await api.get<T>(path);
      setState({ status: 'ready', data });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [path]);

  return { state, reload };
}
