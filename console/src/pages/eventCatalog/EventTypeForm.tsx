import { useMemo, useState } from 'react';
import { ApiError, ErrorState } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { navigate } from '../../routing/router.tsx';
import { draftProblems, featureFlagsOf, schemasOf, type Draft, type EventType } from './eventTypeDraft.ts';
import { eventTypeHref } from './eventTypeHref.ts';
import { JsonField } from './JsonField.tsx';
import { useEventTypeWrites } from './useEventTypes.ts';

const SCHEMA_HINT = 'A JSON Schema (draft 7) of the payload, checked as you type. Leave it empty for an event type without a schema.';
const EXAMPLES_HINT = 'A JSON array of example payloads, each checked against the schema. The first one is what “Send example” sends.';

/**
 * Creates an event type (`existing` undefined) or replaces one (PUT, keeping its other schema
 * versions, archived and deprecated as they are). The schema and examples are checked as typed;
 * a draft with problems is not sent, and the API's 422 lands on the field it names.
 */
export function EventTypeForm({ initial, existing, onSaved }: { initial: Draft; existing?: EventType; onSaved?: (saved: EventType) => void }) {
  const writes = useEventTypeWrites();
  const [draft, setDraft] = useState(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problems = useMemo(() => draftProblems(draft), [draft]);
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };
  const otherVersions = Object.keys(existing?.schemas ?? {}).length > 1;

  const save = async () => {
    const fields = {
      description: draft.description,
      groupName: draft.groupName.trim() || null,
      featureFlags: featureFlagsOf(draft),
      schemas: schemasOf(draft, existing?.schemas ?? null),
    };
    if (existing) {
      onSaved?.(await writes.replace.mutateAsync({ name: existing.name, body: { ...fields, archived: existing.archived, deprecated: existing.deprecated } }));
    } else {
      const created = await writes.create.mutateAsync({ name: draft.name.trim(), ...fields });
      navigate(eventTypeHref(created.name), { replace: true });
    }
  };

  return (
    <form
      className="form panel"
      aria-label={existing ? `Edit ${existing.name}` : 'New event type'}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.schema.length || problems.examples.length) return;
        setBusy(true);
        setError(null);
        setFieldErrors({});
        save()
          .catch((err: unknown) => {
            const fields = err instanceof ApiError ? err.fieldErrors() : {};
            if (Object.keys(fields).length > 0) setFieldErrors(fields);
            else setError(err);
          })
          .finally(() => setBusy(false));
      }}
    >
      {!existing && (
        <Field
          label="Name"
          name="name"
          value={draft.name}
          onChange={set('name')}
          hint="Like invoice.paid: letters, digits and - _ . (it cannot be changed later)."
          error={fieldErrors.name}
          required
          autoComplete="off"
        />
      )}
      <Field label="Description" name="description" value={draft.description} onChange={set('description')} error={fieldErrors.description} autoComplete="off" />
      <div className="inline-form">
        <Field
          label="Group"
          name="groupName"
          value={draft.groupName}
          onChange={set('groupName')}
          hint="Groups event types in the portal's catalog."
          error={fieldErrors.groupName}
          autoComplete="off"
        />
        <Field
          label="Feature flags"
          name="featureFlags"
          value={draft.featureFlags}
          onChange={set('featureFlags')}
          hint="Comma-separated; only portal sessions with one of them see this event type."
          error={fieldErrors.featureFlags ?? fieldErrors.featureFlag}
          autoComplete="off"
        />
      </div>
      <JsonField
        label="Schema"
        hint={SCHEMA_HINT}
        value={draft.schema}
        onChange={set('schema')}
        problems={fieldErrors.schemas ? [...problems.schema, fieldErrors.schemas] : problems.schema}
      />
      {otherVersions && <p className="hint">This edits schema version 1; the other versions are kept as they are.</p>}
      <JsonField label="Examples" hint={EXAMPLES_HINT} rows={8} value={draft.examples} onChange={set('examples')} problems={problems.examples} />
      {error ? <ErrorState error={error} title="Could not save the event type." /> : null}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {existing ? 'Save changes' : 'Create event type'}
        </button>
      </div>
    </form>
  );
}
