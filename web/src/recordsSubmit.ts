// The busy/error state every records form shares: one submit at a time, the failure kept for the
// form's error summary, and the page told what happened so it can say so and reload the request.
import { useCallback, useState } from 'react';

export function useSubmit() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** Runs `work`; returns false when it failed (the error is then shown by the form). */
  const run = useCallback(async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, setError, busy, run };
}

/** What a section tells the page after a change: the words to announce; the page reloads the request. */
export type OnDone = (message: string) => Promise<void>;
