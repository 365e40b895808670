'use client';

import { useEffect, useId, useRef } from 'react';

// A modal dialog on the native <dialog> element: focus is trapped, Escape closes it, and it has role="dialog".
export function Dialog({ open, onClose, title, description, children }: {
  open: boolean;
  onClose: () => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-surface p-0 text-slate-900 shadow-xl backdrop:bg-black/50"
    >
      {open ? (
        <div className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">{title}</h2>
          {description ? <div id={descId} className="text-sm text-slate-600">{description}</div> : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
