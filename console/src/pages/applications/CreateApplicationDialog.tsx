import { useState } from 'react';
import { ApiError, Dialog, ErrorState } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { useCreateApplication } from './useApplications.ts';

/** Name and optional uid of a new application; a 422 shows on its field. */
export function CreateApplicationDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (appId: string) => void }) {
  const create = useCreateApplication();
  const [name, setName] = useState('');
  const [uid, setUid] = useState('');
  const error = create.error instanceof ApiError ? create.error : null;
  // A taken uid is a 409, not a 422, but it is still that field's problem.
  const fields: Record<string, string> = error?.status === 409 ? { uid: error.message } : (error?.fieldErrors() ?? {});
  const otherError = create.error && !fields.name && !fields.uid ? create.error : null;
  return (
    <Dialog title="Create application" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim(), ...(uid.trim() ? { uid: uid.trim() } : {}) }, { onSuccess: (app) => onCreated(app.id) });
        }}
      >
        <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required autoFocus />
        <Field
          label="UID (optional)"
          name="uid"
          value={uid}
          onChange={(e) => setUid(e.target.value)}
          error={fields.uid}
          hint="Your own identifier for it, e.g. your customer's ID: letters, digits, '-', '_' and '.'."
          autoComplete="off"
        />
        {otherError ? <ErrorState error={otherError} title="Could not create the application." /> : null}
        <div className="actions end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={create.isPending}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
