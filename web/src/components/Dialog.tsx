// A modal dialog on the native <dialog> element: the browser traps focus inside it and closes it on
// Escape. Focus returns to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog({ open, title, onClose, children, wide }: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** For a dialog listing several items with their own fields. */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const headingId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handleClose = () => {
      onClose();
      const back = opener.current;
      if (back instanceof HTMLElement && document.contains(back)) back.focus();
    };
    dialog.addEventListener('close', handleClose);
    return () => dialog.removeEventListener('close', handleClose);
  }, [onClose]);

  return (
    <dialog ref={ref} className={`civic-dialog${wide ? ' civic-dialog--wide' : ''}`} aria-labelledby={headingId}>
      {open ? (
        <>
          <h2 id={headingId} className="margin-top-0">{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
