import { useState } from 'react';
import { ConfirmDialog } from '@hookline/ui';

/** "Remove" that asks first: taking a credential off an endpoint can make its receiver refuse every delivery. */
export function RemoveConfigButton({
  label,
  title,
  text,
  onConfirm,
  busy,
  error,
}: {
  label: string;
  title: string;
  text: string;
  onConfirm: () => Promise<unknown>;
  busy: boolean;
  error: unknown;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn danger" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && (
        <ConfirmDialog
          title={title}
          confirmLabel={label}
          danger
          busy={busy}
          error={error}
          onClose={() => setOpen(false)}
          onConfirm={() =>
            void onConfirm().then(
              () => setOpen(false),
              () => undefined,
            )
          }
        >
          <p>{text}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
