import { useState } from 'react';
import { ApiError, ErrorState } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { useCreateApiKey, type CreatedKey } from './apiKeyQueries.ts';

/** Name and optional expiry (a date: the key stops at its end, local time) of a new key. */
export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const fields = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const otherError = create.error && Object.keys(fields).length === 0 ? create.error : null;
  return (
    <form
      className="inline-form"
      aria-label="Create an API key"
      onSubmit={(e) => {
        e.preventDefault();
        const body = { name: name.trim() || undefined, expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined };
        create.mutate(body, {
          onSuccess: (key) => {
            setName('');
            setExpires('');
            onCreated(key);
          },
        });
      }}
    >
      <Field label="Key name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} placeholder="CI deploys" />
      <Field label="Expires on (optional)" name="expiresAt" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} error={fields.expiresAt} />
      <button type="submit" className="btn primary" disabled={create.isPending}>
        Create key
      </button>
      {otherError ? <ErrorState error={otherError} title="Could not create the key." /> : null}
    </form>
  );
}
