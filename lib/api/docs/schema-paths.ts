import * as z from 'zod';

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

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
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
export function fieldPaths(schema: z.ZodType): string[] {
  const out = new Set<string>();
  walk(jsonSchemaOf(schema), '', out);
  return [...out].sort();
}

/** The paths of an actual answer's leaves, in the same notation (record keys are not known here: see `extraFields`). */
function extras(value: unknown, schema: JsonSchema, path: string): string[] {
  const alts = alternatives(schema);
  if (alts.length > 0) {
    // The alternative that explains the most of the value.
    return alts.map((alt) => extras(value, alt, path)).reduce((best, next) => (next.length < best.length ? next : best));
  }
  if (Array.isArray(value)) return schema.items ? value.flatMap((item) => extras(item, schema.items!, `${path}[]`)) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const known = schema.properties?.[key];
    if (known) return extras(child, known, join(path, key));
    if (typeof schema.additionalProperties === 'object') return extras(child, schema.additionalProperties, join(path, '*'));
    if (schema.additionalProperties === true || (!schema.properties && schema.additionalProperties === undefined)) return [];
    return [join(path, key)];
  });
}

/** The fields of `value` that `schema` does not allow (deduplicated, sorted): what a role must not have been shown. */
export function extraFields(value: unknown, schema: z.ZodType): string[] {
  return [...new Set(extras(value, jsonSchemaOf(schema), ''))].sort();
}

/** The leaf paths present in an answer (record keys as `*` only where the schema says record). */
export function presentFields(value: unknown, schema: z.ZodType): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, s: JsonSchema, path: string): void => {
    const alts = alternatives(s);
    if (alts.length > 0) {
      const best = alts.reduce((a, b) => (extras(v, b, path).length < extras(v, a, path).length ? b : a));
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
