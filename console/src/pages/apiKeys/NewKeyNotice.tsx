import { CopyButton } from '@hookline/ui';
import type { CreatedKey } from './apiKeyQueries.ts';

/** A new key's secret, shown this once (it is stored hashed), with a copy button. */
export function NewKeyNotice({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <div className="card stack" role="status" aria-live="polite">
      <p>
        <strong>Your new key “{created.name}”.</strong> Copy it now: it will not be shown again.
      </p>
      <div className="facts-inline">
        <code className="secret break" aria-label="New API key">
          {created.key}
        </code>
        <CopyButton text={created.key} label="Copy key" />
        <button type="button" className="btn small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
