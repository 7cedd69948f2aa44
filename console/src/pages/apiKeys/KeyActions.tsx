import { useId, useState } from 'react';
import { ConfirmDialog } from '@hookline/ui';
import { useRevokeApiKey, useRotateApiKey, type ApiKey, type CreatedKey } from './apiKeyQueries.ts';

// The overlap a rotation leaves the old key: long enough to deploy the new one everywhere.
const GRACE_CHOICES = [
  { seconds: 0, label: 'Stop the old key now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
];

export function RotateKeyDialog({ apiKey, onClose, onRotated }: { apiKey: ApiKey; onClose: () => void; onRotated: (key: CreatedKey) => void }) {
  const rotate = useRotateApiKey();
  const [grace, setGrace] = useState(86_400);
  const selectId = useId();
  return (
    <ConfirmDialog
      title={`Rotate “${apiKey.name}”`}
      confirmLabel="Rotate key"
      busy={rotate.isPending}
      error={rotate.error}
      onClose={onClose}
      onConfirm={() => rotate.mutate({ keyId: apiKey.id, gracePeriodSeconds: grace }, { onSuccess: onRotated })}
    >
      <p>A new key with the same name replaces this one. The old key keeps working for the overlap you choose, so you can deploy the new one first.</p>
      <div className="field">
        <label htmlFor={selectId}>Old key keeps working for</label>
        <select id={selectId} value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
          {GRACE_CHOICES.map((c) => (
            <option key={c.seconds} value={c.seconds}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    </ConfirmDialog>
  );
}

export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  return (
    <ConfirmDialog
      title={`Revoke “${apiKey.name}”`}
      confirmLabel="Revoke key"
      danger
      busy={revoke.isPending}
      error={revoke.error}
      onClose={onClose}
      onConfirm={() => revoke.mutate(apiKey.id, { onSuccess: onClose })}
    >
      <p>
        Requests with the key <code>{apiKey.prefix}…</code> will get 401 from now on. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
