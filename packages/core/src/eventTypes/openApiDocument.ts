import { eventTypeNameSchema } from '../schemas/common.ts';
import { BadRequestError, ValidationError } from '../errors.ts';
import { jsonSchemaProblems } from './jsonSchemaShape.ts';
import type { EventTypeFromOpenApi, EventTypeImportOpenApiIn } from './openApiImportSchemas.ts';

// Reads the event types out of an OpenAPI 3.x document's `webhooks` (or `x-webhooks`) section.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** More event types than this in one document is a 422: the import runs in one transaction. */
const MAX_WEBHOOKS = 1000;
const METHODS = ['post', 'put', 'patch', 'get', 'delete'] as const;

/** The document of a request: `spec`, or `specRaw` parsed as YAML (JSON is YAML; the parser is loaded only for it). */
export async function readDocument(input: EventTypeImportOpenApiIn): Promise<Json> {
  const hasSpec = input.spec !== undefined && input.spec !== null;
  const hasRaw = input.specRaw !== undefined && input.specRaw !== null;
  // As Svix: neither or both is a 400.
  if (hasSpec === hasRaw) throw new BadRequestError('Send exactly one of spec and specRaw', 'bad_request');
  let doc: unknown = input.spec;
  if (hasRaw) {
    const { parse } = await import('yaml');
    try {
      doc = parse(input.specRaw!, { maxAliasCount: 100 });
    } catch (err) {
      throw new ValidationError(['body', 'specRaw'], `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const where = hasRaw ? 'specRaw' : 'spec';
  // What the import stores goes into jsonb, which refuses U+0000 and lone surrogates (JSON.stringify escapes only those).
  if (hasRaw && /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(doc) ?? '')) {
    throw new ValidationError(['body', where], 'contains U+0000 or an unpaired surrogate, which cannot be stored');
  }
  if (!isObject(doc)) throw new ValidationError(['body', where], 'must be an OpenAPI document (an object)');
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new ValidationError(['body', where, 'openapi'], 'must be an OpenAPI 3.x document (openapi: "3.x.y")');
  }
  return doc;
}

/** The event types the document's webhooks describe, in document order. */
export function eventTypesOf(doc: Json, where: string): EventTypeFromOpenApi[] {
  const webhooks = doc.webhooks ?? doc['x-webhooks'];
  const section = doc.webhooks !== undefined ? 'webhooks' : 'x-webhooks';
  if (!isObject(webhooks)) throw new ValidationError(['body', where, section], 'the document has no webhooks (nor x-webhooks) section');
  const entries = Object.entries(webhooks);
  if (entries.length > MAX_WEBHOOKS) throw new ValidationError(['body', where, section], `at most ${MAX_WEBHOOKS} webhooks`);
  const resolver = new RefResolver(doc);
  return entries.map(([name, item]) => {
    const loc = ['body', where, section, name];
    if (!eventTypeNameSchema.safeParse(name).success) throw new ValidationError(loc, 'is not a valid event type name (letters, digits and - _ . only)');
    const pathItem = resolver.follow(item, loc);
    const method = METHODS.find((m) => isObject(pathItem[m]));
    if (!method) throw new ValidationError(loc, 'has no operation (post, put, …)');
    const op = pathItem[method] as Json;
    return {
      name,
      description: str(op.description) ?? str(op.summary) ?? '',
      schemas: schemaOf(resolver, op, [...loc, method]),
      deprecated: op.deprecated === true,
      groupName: str(op['x-svix-group-name']) ?? null,
      featureFlags: flagsOf(op),
    };
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function flagsOf(op: Json): string[] | null {
  const many = op['x-svix-feature-flags'];
  if (Array.isArray(many) && many.every((f) => typeof f === 'string') && many.length > 0) return [...new Set(many)];
  const one = str(op['x-svix-feature-flag']);
  return one ? [one] : null;
}

/** `{"1": schema}` from the operation's JSON request body, with its `$ref`s resolved; null when it has none. */
function schemaOf(resolver: RefResolver, op: Json, loc: string[]): Record<string, unknown> | null {
  if (op.requestBody === undefined) return null;
  const body = resolver.follow(op.requestBody, [...loc, 'requestBody']);
  const content = isObject(body.content) ? body.content : {};
  const media = content['application/json'] ?? Object.values(content)[0];
  if (!isObject(media) || !isObject(media.schema)) return null;
  const schema = resolver.inline(media.schema, [...loc, 'requestBody', 'content', 'schema']);
  // The media type's example becomes the schema's first example (the catalog's and send-example's payload).
  const examples = Array.isArray(schema.examples) ? schema.examples : media.example !== undefined ? [media.example] : exampleValues(media.examples);
  const out: Json = examples.length > 0 ? { ...schema, examples } : schema;
  for (const p of jsonSchemaProblems(out)) throw new ValidationError([...loc, 'requestBody', 'schema', ...p.path.map(String)], p.message);
  return { '1': out };
}

function exampleValues(examples: unknown): unknown[] {
  if (!isObject(examples)) return [];
  return Object.values(examples).flatMap((e) => (isObject(e) && e.value !== undefined ? [e.value] : []));
}

/**
 * Resolves the document's local `$ref`s (`#/components/…`). Schemas are inlined; a schema that
 * refers to itself (directly or not) goes into the result's `$defs` instead, so it stays finite.
 */
class RefResolver {
  private defs: Json = {};
  private readonly doc: Json;
  constructor(doc: Json) {
    this.doc = doc;
  }

  /** The object a `$ref` (or a chain of them) points to. */
  follow(value: unknown, loc: string[]): Json {
    let current = value;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 32) throw new ValidationError(loc, 'has a $ref chain that does not end');
      current = this.target(current.$ref, loc);
    }
    if (!isObject(current)) throw new ValidationError(loc, 'must be an object');
    return current;
  }

  inline(schema: Json, loc: string[]): Json {
    this.defs = {};
    const out = this.walk(schema, loc, []) as Json;
    return Object.keys(this.defs).length > 0 ? { ...out, $defs: { ...(isObject(out.$defs) ? out.$defs : {}), ...this.defs } } : out;
  }

  private walk(value: unknown, loc: string[], stack: string[]): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.walk(v, [...loc, String(i)], stack));
    if (!isObject(value)) return value;
    if (typeof value.$ref === 'string') {
      const ref = value.$ref;
      const name = ref.split('/').pop()!;
      if (stack.includes(ref)) {
        if (!(name in this.defs)) {
          this.defs[name] = {}; // reserved while it is built, so the recursion below ends
          this.defs[name] = this.walk(this.target(ref, loc), loc, [ref]);
        }
        return { $ref: `#/$defs/${name}` };
      }
      if (stack.length > 64) throw new ValidationError(loc, 'nests $refs too deeply');
      return this.walk(this.target(ref, loc), loc, [...stack, ref]);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, [...loc, k], stack)]));
  }

  private target(ref: string, loc: string[]): unknown {
    if (!ref.startsWith('#/')) throw new ValidationError(loc, `refers to ${ref}: only references inside the document (#/…) are supported`);
    let node: unknown = this.doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
      if (node === undefined) throw new ValidationError(loc, `refers to ${ref}, which the document does not have`);
    }
    return node;
  }
}
