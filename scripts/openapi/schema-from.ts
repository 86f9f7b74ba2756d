/** JSON Schema (OpenAPI 3.1) pieces inferred from the seed documents' field lines and samples. */
import type { RedocField } from './redoc-text.js';

export type JsonSchema = Record<string, unknown>;

/** A Redoc type line ("string or null <= 150 characters", "integer >= 0", "string^[0-9a-f]…") as a schema. */
export function schemaOfRedocField(field: RedocField): JsonSchema {
  const t = field.type;
  const nullable = /\bor null\b/.test(t);
  let base: string;
  if (/^Array of objects/.test(t) || /^Array$/.test(t)) base = 'array-object';
  else if (/^Array of strings/.test(t)) base = 'array-string';
  else if (/^Array of integers/.test(t)) base = 'array-integer';
  else if (/^Array of numbers/.test(t)) base = 'array-number';
  else base = /^(string|integer|number|boolean|object|any)/.exec(t)?.[1] ?? 'string';
  let schema: JsonSchema;
  if (base === 'array-object') schema = { type: 'array', items: { type: 'object', additionalProperties: true } };
  else if (base.startsWith('array-')) schema = { type: 'array', items: { type: base.slice(6) } };
  else if (base === 'any') schema = {};
  else if (base === 'object') schema = { type: 'object', additionalProperties: true };
  else schema = { type: base };
  const range = /\[\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)\s*\]/.exec(t);
  const isString = base === 'string';
  if (range) {
    if (isString) Object.assign(schema, { minLength: Number(range[1]), maxLength: Number(range[2]) });
    else Object.assign(schema, { minimum: Number(range[1]), maximum: Number(range[2]) });
  }
  const le = /<=\s*(-?[\d.]+)/.exec(t);
  if (le) Object.assign(schema, isString ? { maxLength: Number(le[1]) } : { maximum: Number(le[1]) });
  const ge = />=\s*(-?[\d.]+)/.exec(t);
  if (ge) Object.assign(schema, isString ? { minLength: Number(ge[1]) } : { minimum: Number(ge[1]) });
  const eq = /(?:^|\s)=\s*(\d+) characters/.exec(t);
  if (eq && isString) Object.assign(schema, { minLength: Number(eq[1]), maxLength: Number(eq[1]) });
  if (/\^\[0-9a-fA-F\]\{8\}/.test(t)) schema.format = 'uuid';
  else {
    const pattern = /\^(.+)\$$/.exec(t);
    if (pattern && isString) schema.pattern = `^${pattern[1]}$`;
  }
  const fmt = /<([\w-]+)>/.exec(t);
  if (fmt) schema.format = fmt[1];
  if (field.enum && field.enum.length > 0) schema.enum = field.enum;
  if (field.description) schema.description = field.description;
  if (nullable) schema.type = [schema.type as string, 'null'];
  return schema;
}

/** An object schema from Redoc fields (required ones listed). */
export function objectOfRedocFields(fields: readonly { name: string; required: boolean; schema: JsonSchema }[]): JsonSchema {
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, f.schema])),
    ...(required.length > 0 ? { required } : {}),
  };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** The schema a sample value shows; collapsed values (`{}`, `[]`) become open objects / arrays. */
export function schemaOfSample(value: unknown): JsonSchema {
  if (value === null) return {};
  if (Array.isArray(value)) return { type: 'array', items: value.length > 0 ? schemaOfSample(value[0]) : {} };
  switch (typeof value) {
    case 'string':
      return ISO_TIME.test(value) ? { type: 'string', format: 'date-time' } : { type: 'string' };
    case 'number':
      // A sample's 0 says nothing about fractions: every sampled number is a number.
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return { type: 'object', additionalProperties: true };
      return { type: 'object', properties: Object.fromEntries(entries.map(([k, v]) => [k, schemaOfSample(v)])) };
    }
    default:
      return {};
  }
}
