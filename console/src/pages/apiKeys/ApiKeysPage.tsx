import { useState } from 'react';
import { DataTable, EmptyState, ErrorState, formatTime, Loading } from '@hookline/ui';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { keyState, useApiKeys, type ApiKey, type CreatedKey } from './apiKeyQueries.ts';
import { CreateKeyForm } from './CreateKeyForm.tsx';
import { RevokeKeyDialog, RotateKeyDialog } from './KeyActions.tsx';
import { NewKeyNotice } from './NewKeyNotice.tsx';

const STATE_TEXT = { active: 'Active', expired: 'Expired', revoked: 'Revoked' } as const;

/** The tenant's API keys: create (the secret shown once), rotate with an overlap, revoke. The registry limits it to `manage`. */
export default function ApiKeysPage(_props: PageProps) {
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <>
      <PageHeader title="API keys" description="Keys for the Hookline API (Authorization: Bearer …). Each holds this tenant's full access." />
      <div className="stack">
        <CreateKeyForm onCreated={setCreated} />
        {created && <NewKeyNotice created={created} onDone={() => setCreated(null)} />}
        {keys.isPending ? (
          <Loading what="API keys" />
        ) : keys.isError ? (
          <ErrorState error={keys.error} retry={() => void keys.refetch()} />
        ) : keys.data.data.length === 0 ? (
          <EmptyState title="No API keys yet">
            <p>Create one above.</p>
          </EmptyState>
        ) : (
          <DataTable
            caption="API keys"
            rows={keys.data.data}
            rowKey={(key) => key.id}
            rowAttributes={(key) => ({ 'data-key-id': key.id })}
            columns={[
              { header: 'Name', cell: (key) => key.name },
              { header: 'Key', cell: (key) => <code>{key.prefix}…</code> },
              { header: 'Status', cell: (key) => STATE_TEXT[keyState(key)] },
              { header: 'Created', className: 'nowrap', cell: (key) => formatTime(key.createdAt) },
              { header: 'Last used', className: 'nowrap', cell: (key) => (key.lastUsedAt ? formatTime(key.lastUsedAt) : 'Never') },
              { header: 'Expires', className: 'nowrap', cell: (key) => (key.expiresAt ? formatTime(key.expiresAt) : 'Never') },
              {
                header: 'Actions',
                headerHidden: true,
                className: 'nowrap',
                cell: (key) =>
                  keyState(key) === 'active' && (
                    <div className="actions">
                      <button type="button" className="btn small" onClick={() => setRotating(key)} aria-label={`Rotate ${key.name}`}>
                        Rotate
                      </button>
                      <button type="button" className="btn small danger" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </button>
                    </div>
                  ),
              },
            ]}
          />
        )}
      </div>
      {rotating && (
        <RotateKeyDialog
          apiKey={rotating}
          onClose={() => setRotating(null)}
          onRotated={(key) => {
            setRotating(null);
            setCreated(key);
          }}
        />
      )}
      {revoking && <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}
