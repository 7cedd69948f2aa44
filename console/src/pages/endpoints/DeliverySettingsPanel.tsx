import { useId, useState, type ReactNode } from 'react';
import { ApiError, ErrorState, Panel } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { usePatchEndpoint, type Endpoint } from './useEndpoints.ts';

/** "a, b c" → ['a', 'b', 'c']; nothing → null (the API's "every one"). */
function listOf(text: string): string[] | null {
  const items = text.split(/[\s,]+/).filter(Boolean);
  return items.length ? items : null;
}

/** What the endpoint receives and how fast: event types, channels and throttle (PATCH, `write`). */
export function DeliverySettingsPanel({ app, ep }: { app: string; ep: Endpoint }) {
  const canWrite = useCan('write');
  return (
    <Panel title="Filters and throttle">
      {canWrite ? (
        <SettingsForm app={app} ep={ep} />
      ) : (
        <dl className="facts">
          <Fact label="Event types">{chips(ep.eventTypes, 'All event types')}</Fact>
          <Fact label="Channels">{chips(ep.channels, 'All channels')}</Fact>
          <Fact label="Throttle">{ep.throttleRate != null ? `${ep.throttleRate} messages per second` : 'No limit'}</Fact>
        </dl>
      )}
      {ep.filter && (
        <p className="muted small">
          Payload filter: <code>{JSON.stringify(ep.filter)}</code>
        </p>
      )}
    </Panel>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function chips(items: string[] | null, none: string): ReactNode {
  return items?.length
    ? items.map((t) => (
        <code key={t} className="chip">
          {t}
        </code>
      ))
    : none;
}

function SettingsForm({ app, ep }: { app: string; ep: Endpoint }) {
  const id = useId();
  const patch = usePatchEndpoint(app, ep.id);
  const [eventTypes, setEventTypes] = useState((ep.eventTypes ?? []).join(', '));
  const [channels, setChannels] = useState((ep.channels ?? []).join(', '));
  const [throttle, setThrottle] = useState(ep.throttleRate != null ? String(ep.throttleRate) : '');
  const [saved, setSaved] = useState(false);
  const fieldErrors = patch.error instanceof ApiError ? patch.error.fieldErrors() : {};
  const rate = throttle.trim() === '' ? null : Number(throttle);
  const rateInvalid = rate !== null && !(Number.isInteger(rate) && rate > 0);
  const rateError = rateInvalid ? 'A whole number of messages per second, or empty for no limit.' : fieldErrors.throttleRate;
  const field = (name: string, label: string, value: string, set: (v: string) => void, hint: string, error?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={value}
        onChange={(e) => {
          setSaved(false);
          set(e.target.value);
        }}
        inputMode={name === 'throttle' ? 'numeric' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-${name}-hint${error ? ` ${id}-${name}-error` : ''}`}
      />
      <p id={`${id}-${name}-hint`} className="hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-${name}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
  return (
    <form
      className="form"
      aria-label="Filters and throttle"
      onSubmit={(e) => {
        e.preventDefault();
        if (rateInvalid) return;
        setSaved(false);
        patch.mutate({ eventTypes: listOf(eventTypes), channels: listOf(channels), throttleRate: rate }, { onSuccess: () => setSaved(true) });
      }}
    >
      {field('eventTypes', 'Event types', eventTypes, setEventTypes, 'Comma-separated; empty: every event type.', fieldErrors.eventTypes)}
      {field('channels', 'Channels', channels, setChannels, 'Comma-separated; empty: every channel.', fieldErrors.channels)}
      {field('throttle', 'Throttle (messages per second)', throttle, setThrottle, 'Empty: no limit.', rateError)}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={patch.isPending}>
          Save filters and throttle
        </button>
      </div>
      {patch.isError && Object.keys(fieldErrors).length === 0 && <ErrorState error={patch.error} title="Could not save." />}
      {saved && (
        <p role="status" className="success-text">
          Saved.
        </p>
      )}
    </form>
  );
}
