// The unread-notification count the header shows. Pages that mark notifications read announce it,
// so the header refreshes at once instead of at its next poll or page change.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';
import type { NotificationItem } from './types.js';

const CHANGED = 'civicdesk:notifications-changed';
const POLL_MS = 60_000;

export function announceNotificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** Unread notifications of the signed-in person (null until known); refreshed when `key` changes. */
export function useUnreadCount(enabled: boolean, key: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const unread = await api.get<NotificationItem[]>('/api/notifications?unread=true', { signal, quiet401: true });
      setCount(unread.length);
    } catch {
      // A failed count is not worth an alert: the header simply shows no number.
    }
  }, []);

  useEffect(() => {
    if (!enabled) {
      setCount(null);
      return;
    }
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [enabled, key, load]);

  useEffect(() => {
    if (!enabled) return;
    const again = () => void load();
    window.addEventListener(CHANGED, again);
    const timer = window.setInterval(again, POLL_MS);
    return () => {
      window.removeEventListener(CHANGED, again);
      window.clearInterval(timer);
    };
  }, [enabled, load]);

  return count;
}
