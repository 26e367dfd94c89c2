import * as z from 'zod/mini';

/**
 * Field paths of a response schema, as the role × field matrix names them:
 * dotted, `[]` for array items, `*` for a record's keys (`lines[].analysis.*`).
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

const cache = { input: new WeakMap<z.ZodMiniType, JsonSchema>(), output: new WeakMap<z.ZodMiniType, JsonSchema>() };

/** The schema's JSON Schema (what it reads, or what it produces), made once per schema. */
export function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output' = 'output'): JsonSchema {
  let json = cache[io].get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    cache[io].set(schema, json);
  }
  return json;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function alternatives(schema: JsonSchema): JsonSchema[] {
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
}

function walk(schema: JsonSchema, path: string, out: Set<string>): void {
  const alts = alternatives(schema);
  if (alts.length > 0) {
    for (const alt of alts) walk(alt, path, out);
    return;
  }
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) walk(child, join(path, key), out);
  }
  if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, join(path, '*'), out);
  if (schema.items) walk(schema.items, `${path}[]`, out);
  if (!schema.properties && typeof schema.additionalProperties !== 'object' && !schema.items && path !== '') out.add(path);
}

/** Every leaf field path a schema allows, sorted. */
export function fieldPaths(schema: z.ZodMiniType): string[] {
  const out = new Set<string>();
  walk(jsonSchemaOf(schema), '', out);
  return [...out].sort();
}

/** Fields of a value its schema does not name, as `[]` paths (notation of the matrix) or with each item's index. */
function extras(value: unknown, schema: JsonSchema, path: string, items: 'brackets' | 'index'): string[] {
  const alts = alternatives(schema);
  if (alts.length > 0) {
    // The alternative that explains the most of the value.
    return alts.map((alt) => extras(value, alt, path, items)).reduce((best, next) => (next.length < best.length ? next : best));
  }
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((item, i) => extras(item, schema.items!, items === 'index' ? join(path, String(i)) : `${path}[]`, items)) : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const known = schema.properties?.[key];
    if (known) return extras(child, known, join(path, key), items);
    if (typeof schema.additionalProperties === 'object') return extras(child, schema.additionalProperties, join(path, items === 'index' ? key : '*'), items);
    if (schema.additionalProperties === true || (!schema.properties && schema.additionalProperties === undefined)) return [];
    return [join(path, key)];
  });
}

/** The fields of an answer that `schema` does not allow (deduplicated, sorted): what a role must not have been shown. */
export function extraFields(value: unknown, schema: z.ZodMiniType): string[] {
  return [...new Set(extras(value, jsonSchemaOf(schema), '', 'brackets'))].sort();
}

/** The fields of a request body that `schema` does not name, by their path in the body (`extras.0.colour`). */
export function unknownFields(body: unknown, schema: z.ZodMiniType): string[] {
  return extras(body, jsonSchemaOf(schema, 'input'), '', 'index');
}

/** The leaf paths present in an answer (record keys as `*` only where the schema says record). */
export function presentFields(value: unknown, schema: z.ZodMiniType): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, s: JsonSchema, path: string): void => {
    const alts = alternatives(s);
    if (alts.length > 0) {
      const best = alts.reduce((a, b) => (extras(v, b, path, 'brackets').length < extras(v, a, path, 'brackets').length ? b : a));
      visit(v, best, path);
      return;
    }
    if (Array.isArray(v)) {
      for (const item of v) visit(item, s.items ?? {}, `${path}[]`);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const known = s.properties?.[key];
        if (known) visit(child, known, join(path, key));
        else if (typeof s.additionalProperties === 'object') visit(child, s.additionalProperties, join(path, '*'));
        else out.add(join(path, key));
      }
      return;
    }
    if (path !== '') out.add(path);
  };
  visit(value, jsonSchemaOf(schema), '');
  return [...out].sort();
}
