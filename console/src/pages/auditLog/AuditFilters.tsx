import { useId, useState } from 'react';
import { AUDIT_ACTIONS, isAuditAction, type AuditFilter } from './useAuditLog.ts';

/** A datetime-local value (the person's local time) as the API's ISO time; '' → undefined. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Actor, action, target and time range; applied on submit. */
export function AuditFilters({ onApply, fieldErrors }: { onApply: (filter: AuditFilter) => void; fieldErrors: Record<string, string> }) {
  const id = useId();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const text = (name: 'actor' | 'target', label: string, value: string, set: (v: string) => void, placeholder: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={value}
        placeholder={placeholder}
        onChange={(e) => set(e.target.value)}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `${id}-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <p id={`${id}-${name}-error`} className="field-error">
          {fieldErrors[name]}
        </p>
      )}
    </div>
  );
  const time = (name: 'since' | 'until', label: string, value: string, set: (v: string) => void) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type="datetime-local"
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `${id}-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <p id={`${id}-${name}-error`} className="field-error">
          {fieldErrors[name]}
        </p>
      )}
    </div>
  );
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
          ...(actor.trim() ? { actor: actor.trim() } : {}),
          ...(isAuditAction(action) ? { action } : {}),
          ...(target.trim() ? { target: target.trim() } : {}),
          ...(isoOf(since) ? { since: isoOf(since) } : {}),
          ...(isoOf(until) ? { until: isoOf(until) } : {}),
        });
      }}
    >
      {text('actor', 'Actor id', actor, setActor, 'a person, key or application id')}
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      {text('target', 'Target id', target, setTarget, 'an endpoint id, an event type…')}
      {time('since', 'From', since, setSince)}
      {time('until', 'Until', until, setUntil)}
      <div className="actions">
        <button type="submit" className="btn">
          Filter
        </button>
        <button
          type="reset"
          className="btn ghost"
          onClick={() => {
            for (const set of [setActor, setAction, setTarget, setSince, setUntil]) set('');
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
