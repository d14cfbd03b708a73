// A small, strict JSON-schema checker for the OpenAPI subset the Beeper spec uses ($ref, allOf,
// anyOf, oneOf, nullable, enum, object/array/string/number/integer/boolean). Strict: a property
// the schema does not name is reported, unless listed as an allowed extension.
export type Schema = Record<string, unknown>;

export interface CheckOptions {
  /** The document $refs point into. */
  root: Schema;
  /** Extra properties allowed on a named component (newer fields from the bridge documents). */
  extensions?: Record<string, string[]>;
}

function resolve(schema: Schema, opts: CheckOptions): { schema: Schema; name?: string } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return { schema };
  const parts = ref.replace(/^#\//, '').split('/');
  let target: unknown = opts.root;
  for (const p of parts) target = (target as Record<string, unknown>)[p];
  if (!target) throw new Error(`unresolved ${ref}`);
  return { schema: target as Schema, name: parts[parts.length - 1] };
}

function propertyNames(schema: Schema, opts: CheckOptions): Set<string> {
  const { schema: s, name } = resolve(schema, opts);
  const names = new Set<string>(Object.keys((s.properties as Schema) ?? {}));
  for (const part of (s.allOf as Schema[]) ?? []) for (const n of propertyNames(part, opts)) names.add(n);
  for (const extra of (name && opts.extensions?.[name]) || []) names.add(extra);
  return names;
}

export function check(schemaIn: Schema, value: unknown, path: string, opts: CheckOptions, errors: string[] = [], strict = true): string[] {
  const { schema, name } = resolve(schemaIn, opts);
  if (value === null && (schema.nullable === true || (schema.anyOf as Schema[] | undefined)?.some((s) => s.nullable))) return errors;
  if (schema.allOf) {
    for (const part of schema.allOf as Schema[]) check(part, value, path, opts, errors, false);
    if (strict && value && typeof value === 'object' && !Array.isArray(value)) {
      const allowed = propertyNames(schemaIn, opts);
      for (const key of Object.keys(value)) if (!allowed.has(key)) errors.push(`${path}.${key} is not in the schema`);
    }
    return errors;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (schema[key]) {
      const ok = (schema[key] as Schema[]).some((s) => check(s, value, path, opts, [], strict).length === 0);
      if (!ok) errors.push(`${path} matches none of ${key}`);
      return errors;
    }
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${path} should be an object`);
        break;
      }
      const props = (schema.properties as Record<string, Schema>) ?? {};
      for (const req of (schema.required as string[]) ?? []) if (!(req in value)) errors.push(`${path}.${req} is required`);
      for (const [key, v] of Object.entries(value)) {
        if (props[key]) check(props[key], v, `${path}.${key}`, opts, errors);
        else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties as Schema, v, `${path}.${key}`, opts, errors);
        else if (strict && schema.additionalProperties !== true && !(name && opts.extensions?.[name]?.includes(key))) errors.push(`${path}.${key} is not in the schema`);
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) errors.push(`${path} should be an array`);
      else value.forEach((v, i) => check((schema.items as Schema) ?? {}, v, `${path}[${i}]`, opts, errors));
      break;
    case 'string':
      if (typeof value !== 'string') errors.push(`${path} should be a string`);
      else if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${path} should be a date-time`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path} should be an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') errors.push(`${path} should be a number`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path} should be a boolean`);
      break;
    default:
      break;
  }
  return errors;
}
