// Single-key shortcuts for the moderation queue: j and k move the selection, x ticks or unticks
// the selected comment for a bulk action, Enter opens the selected comment, ? opens the list of keys. They never fire while the person types in a field,
// with a modifier key held, or while a dialog is open; and they can be turned off (WCAG 2.1.4),
// the choice kept in this browser.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isTypingTarget } from './moderationText.js';

const STORAGE_KEY = 'civicdesk.moderation.shortcuts';

export function useShortcutsSetting(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== 'off';
    } catch {
      return true;
    }
  });
  const set = useCallback((next: boolean) => {
    setOn(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next ? 'on' : 'off');
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }, []);
  return [on, set];
}

export interface QueueKeyHandlers {
  next: () => void;
  previous: () => void;
  open: () => void;
  /** Tick or untick the selected row for a bulk action. */
  toggle: () => void;
  help: () => void;
}

const INTERACTIVE = 'a[href], button, summary, input, select, textarea, [role=button], [role=link]';

export function useQueueKeys(enabled: boolean, handlers: QueueKeyHandlers): void {
  // The latest handlers, without re-adding the listener on every render.
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      const h = current.current;
      switch (e.key) {
        case 'j':
          e.preventDefault();
          h.next();
          break;
        case 'k':
          e.preventDefault();
          h.previous();
          break;
        case 'x':
          e.preventDefault();
          h.toggle();
          break;
        case '?':
          e.preventDefault();
          h.help();
          break;
        case 'Enter':
          // A focused link or button does what Enter does to it; elsewhere Enter opens the selection.
          if (e.target instanceof Element && e.target.closest(INTERACTIVE)) return;
          e.preventDefault();
          h.open();
          break;
        default:
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
