import type { Schemas } from '@hookline/ui';
import { parseJson, schemaProblems, valueProblems, type Problem } from './jsonSchemaCheck.ts';

// The editor's form state for one event type, and its mapping to and from the API's shape: the
// schema of one version is edited as text, its `examples` apart from it (they are a list of
// payloads, not part of the payload's description), and the other versions are kept as they are.

export type EventType = Schemas['EventTypeOut'];

export interface Draft {
  name: string;
  description: string;
  groupName: string;
  /** Comma-separated, as typed. */
  featureFlags: string;
  /** The JSON Schema of `version`, without its examples; blank: no schema. */
  schema: string;
  /** A JSON array of example payloads; blank: none. */
  examples: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const EMPTY_DRAFT: Draft = { name: '', description: '', groupName: '', featureFlags: '', schema: '', examples: '' };

/** The version the editor shows: "1" as in Svix, else the lowest there is. */
export function editedVersion(schemas: EventType['schemas']): string {
  const versions = Object.keys(schemas ?? {});
  if (versions.length === 0 || versions.includes('1')) return '1';
  return versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))[0]!;
}

export function draftOf(eventType: EventType): Draft {
  const version = editedVersion(eventType.schemas);
  const schema = eventType.schemas?.[version];
  let schemaText = '';
  let examplesText = '';
  if (isObject(schema)) {
    const { examples, ...rest } = schema;
    schemaText = JSON.stringify(rest, null, 2);
    if (examples !== undefined) examplesText = JSON.stringify(examples, null, 2);
  } else if (schema !== undefined) {
    schemaText = JSON.stringify(schema, null, 2);
  }
  return {
    name: eventType.name,
    description: eventType.description,
    groupName: eventType.groupName ?? '',
    featureFlags: (eventType.featureFlags ?? []).join(', '),
    schema: schemaText,
    examples: examplesText,
  };
}

export interface DraftProblems {
  schema: string[];
  examples: string[];
}

const said = (p: Problem) => (p.at ? `${p.at}: ${p.message}` : p.message);

/** What is wrong with the draft's schema and examples as typed (empty lists: nothing). */
export function draftProblems(draft: Draft): DraftProblems {
  const out: DraftProblems = { schema: [], examples: [] };
  let schema: unknown;
  if (draft.schema.trim()) {
    const parsed = parseJson(draft.schema);
    if ('error' in parsed) out.schema.push(`Not valid JSON: ${parsed.error}`);
    else if (!isObject(parsed.value)) out.schema.push('A schema must be a JSON object.');
    else {
      schema = parsed.value;
      out.schema.push(...schemaProblems(schema).map((p) => `Not a valid JSON Schema: ${said(p)}`));
    }
  }
  if (draft.examples.trim()) {
    const parsed = parseJson(draft.examples);
    if ('error' in parsed) out.examples.push(`Not valid JSON: ${parsed.error}`);
    else if (!Array.isArray(parsed.value)) out.examples.push('Examples must be a JSON array of payloads.');
    else if (!draft.schema.trim()) out.examples.push('Examples need a schema.');
    else if (schema !== undefined && out.schema.length === 0) {
      parsed.value.forEach((example, i) => {
        if (!isObject(example)) out.examples.push(`Example ${i + 1}: a payload must be a JSON object.`);
        else for (const p of valueProblems(example, schema)) out.examples.push(`Example ${i + 1} does not match the schema: ${said(p)}`);
      });
    }
  }
  return out;
}

/** The `schemas` to send: the edited version rebuilt from the text, the others as they were. */
export function schemasOf(draft: Draft, previous: EventType['schemas']): Record<string, unknown> | null {
  const version = editedVersion(previous);
  const others = Object.fromEntries(Object.entries(previous ?? {}).filter(([v]) => v !== version));
  if (!draft.schema.trim()) return Object.keys(others).length ? others : null;
  const schema = JSON.parse(draft.schema) as Record<string, unknown>;
  const examples = draft.examples.trim() ? (JSON.parse(draft.examples) as unknown[]) : undefined;
  return { ...others, [version]: examples ? { ...schema, examples } : schema };
}

export function featureFlagsOf(draft: Draft): string[] | null {
  const flags = draft.featureFlags
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  return flags.length ? flags : null;
}
