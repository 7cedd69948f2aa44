import { useId, useState, type ReactNode } from 'react';
import { emptyFilters, payloadProblem, type MessageFilters } from './messageQuery.ts';
import { useApplications } from './useMessages.ts';

const STATUSES: [string, string][] = [
  ['', 'Any status'],
  ['0', 'Succeeded'],
  ['1', 'Pending'],
  ['2', 'Failed'],
  ['3', 'Sending'],
  ['4', 'Canceled'],
];

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | null; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The search form: filled from the address, applied on submit (not per keystroke, so a payload
 * typed halfway is not searched for). `payloadError` is the API's 422 on `payload_contains`.
 */
export function MessageFiltersForm({
  filters,
  onSearch,
  payloadError,
}: {
  filters: MessageFilters;
  onSearch: (f: MessageFilters) => void;
  payloadError?: string | null;
}) {
  const id = useId();
  const apps = useApplications();
  const [draft, setDraft] = useState(filters);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (key: keyof MessageFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const payloadMessage = problem ?? payloadError ?? null;
  const text = (key: keyof MessageFilters, label: string, hint?: string) => (
    <Field id={`${id}-${key}`} label={label} hint={hint}>
      <input id={`${id}-${key}`} value={draft[key]} onChange={set(key)} autoComplete="off" spellCheck={false} />
    </Field>
  );
  return (
    <form
      className="card message-filters"
      role="search"
      aria-label="Find messages"
      onSubmit={(e) => {
        e.preventDefault();
        const found = payloadProblem(draft.payload);
        setProblem(found);
        if (!found) onSearch(draft);
      }}
    >
      <div className="filters">
        {text('msgId', 'Message id')}
        {text('eventId', 'Event id')}
        {text('eventType', 'Event type')}
        {text('channel', 'Channel')}
        {text('tag', 'Tag')}
        <Field id={`${id}-app`} label="Application">
          <select id={`${id}-app`} value={draft.app} onChange={set('app')}>
            <option value="">All applications</option>
            {apps.data?.data.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
            {/* An application from the address that the list does not hold (yet) still shows as chosen. */}
            {draft.app && apps.data && !apps.data.data.some((a) => a.id === draft.app) && <option value={draft.app}>{draft.app}</option>}
          </select>
        </Field>
        <Field id={`${id}-status`} label="Delivery status">
          <select id={`${id}-status`} value={draft.status} onChange={set('status')}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-after`} label="Published after">
          <input id={`${id}-after`} type="datetime-local" value={draft.after} onChange={set('after')} />
        </Field>
        <Field id={`${id}-before`} label="Published before">
          <input id={`${id}-before`} type="datetime-local" value={draft.before} onChange={set('before')} />
        </Field>
      </div>
      <Field
        id={`${id}-payload`}
        label="Payload contains"
        hint='A JSON object the payload contains, such as {"invoiceId": "in_42"}. Types count: "42" is not 42.'
        error={payloadMessage}
      >
        <textarea
          id={`${id}-payload`}
          rows={2}
          value={draft.payload}
          spellCheck={false}
          aria-invalid={payloadMessage ? true : undefined}
          aria-describedby={payloadMessage ? `${id}-payload-hint ${id}-payload-error` : `${id}-payload-hint`}
          onChange={(e) => {
            setDraft((d) => ({ ...d, payload: e.target.value }));
            setProblem(null);
          }}
        />
      </Field>
      <div className="actions">
        <button type="submit" className="btn primary">
          Search
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDraft(emptyFilters);
            setProblem(null);
            onSearch(emptyFilters);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
