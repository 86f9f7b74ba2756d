/**
 * Emits, for one vendor description: the GraphQL SDL (reads under `Query.<vendor>`, writes as
 * `<vendor>…` mutations, object/input/connection types) and the TypeScript operation table with
 * the zod schemas of inputs (strict: validated before any call) and responses (lenient).
 */
import { graphqlName, refName, resolveRef, upperFirst, type JsonSchema, type OperationModel, type VendorModel } from './model.js';

const RESERVED_FIELDS: ReadonlySet<string> = new Set(['vendorId', '__typename']);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

function typesOf(schema: JsonSchema): string[] {
  const t = schema.type;
  return (Array.isArray(t) ? t : t ? [t] : []).filter((x) => x !== 'null');
}

function isNullable(schema: JsonSchema): boolean {
  return Array.isArray(schema.type) && schema.type.includes('null');
}

function hasProperties(schema: JsonSchema): boolean {
  return !!schema.properties && Object.keys(schema.properties).length > 0;
}

/** A GraphQL description block (block strings keep the vendor's text as written). */
function doc(text: string | undefined, indent = ''): string {
  if (!text) return '';
  const clean = text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"""').trim();
  return `${indent}"""\n${clean
    .split('\n')
    .map((l) => `${indent}${l}`)
    .join('\n')}\n${indent}"""\n`;
}

export interface NodeInfo {
  type: string;
  operationId: string;
  idArg: string;
  /** Where the record sits in the get's result ('' = the result itself). */
  extract: string;
}

export interface EmittedVendor {
  sdl: string;
  ts: string;
  coverage: { vendor: string; heading: string; method: string; path: string; operationId: string; kind: string; graphql: string }[];
}

export function emitVendor(model: VendorModel, handWritten: ReadonlySet<string>): EmittedVendor {
  const P = model.prefix;
  /** A generated name that a hand-written type already takes (`DistruPurchase`) gets `Record`. */
  const typeName = (name: string): string => (handWritten.has(name) ? `${name}Record` : name);
  const { components } = model;
  const objects = new Map<string, string>();
  const inputs = new Map<string, string>();
  const renames: Record<string, Record<string, string>> = {};
  const zodOut = new Map<string, string>();
  const zodIn = new Map<string, string>();
  const nodes = new Map<string, NodeInfo>();
  /** Object types with a vendor `id` (exposed as `vendorId`). */
  const idTypes = new Set<string>();

  // ---- Node types: a record kind with an id and a read that fetches one by a path id.
  for (const op of model.operations) {
    if (op.kind !== 'read' || !/\}$/.test(op.path) || !op.response) continue;
    const idParam = [...op.params].reverse().find((p) => p.in === 'path');
    if (!idParam) continue;
    const result = unwrap(op);
    const direct = refName(result);
    const candidates: [string, string][] = direct
      ? [[direct, '']]
      : Object.entries(resolveRef(components, result).properties ?? {}).flatMap(([k, v]) => (refName(v) ? [[refName(v)!, k] as [string, string]] : []));
    for (const [component, extract] of candidates) {
      const def = components[component]!;
      if (!def.properties?.id) continue;
      if (extract && extract !== component[0]!.toLowerCase() + component.slice(1)) continue;
      const type = typeName(`${P}${component}`);
      if (!nodes.has(type)) nodes.set(type, { type, operationId: op.operationId, idArg: idParam.arg, extract });
    }
  }

  function unwrap(op: OperationModel): JsonSchema {
    const r = op.response!;
    if (!op.resultPath) return r;
    return resolveRef(components, r).properties?.[op.resultPath] ?? {};
  }

  // ---- Output types
  function outType(schema: JsonSchema, hint: string, omit: ReadonlySet<string> = new Set()): string {
    const ref = refName(schema);
    if (ref) {
      const def = components[ref]!;
      if (hasProperties(def)) return objectType(typeName(`${P}${ref}`), def, omit);
      return outType(def, typeName(`${P}${ref}`));
    }
    if (schema.oneOf) return 'JSON';
    const types = typesOf(schema);
    if (types.includes('array')) return `[${outType(schema.items ?? {}, `${hint}Item`)}]`;
    if (types.includes('object') || schema.properties) return hasProperties(schema) ? objectType(typeName(hint), schema, omit) : 'JSON';
    if (types.includes('number') && types.includes('string')) return 'Decimal';
    if (types.length !== 1) return 'JSON';
    return { string: 'String', integer: 'Int', number: 'Float', boolean: 'Boolean' }[types[0]!] ?? 'JSON';
  }

  function objectType(name: string, schema: JsonSchema, omit: ReadonlySet<string> = new Set()): string {
    if (objects.has(name)) return name;
    objects.set(name, '');
    const node = nodes.get(name);
    const lines: string[] = [];
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      if (omit.has(key) || prop.writeOnly) continue;
      if (key === 'id') {
        idTypes.add(name);
        if (node) lines.push(`  "Opaque global id (see \`Query.node\`)."\n  id: ID!\n  "${P.replace('Isolocity', 'ISOlocity')}'s own id."\n  vendorId: ID!`);
        else lines.push(`  "The vendor's own id."\n  vendorId: ID`);
        continue;
      }
      // The vendor's own `vendorId` (Pharus: a supplier) must not hide the record's id: `pharusVendorId`.
      const field = RESERVED_FIELDS.has(key) ? `${model.vendor}${upperFirst(key)}` : graphqlName(key);
      if (field !== key) (renames[name] ??= {})[field] = key;
      const t = outType(prop, `${name}${upperFirst(field)}`);
      lines.push(`${doc(prop.description, '  ')}  ${field}: ${t}`);
    }
    if (lines.length === 0) lines.push('  "The vendor sent no fields."\n  _empty: Boolean');
    objects.set(name, `${doc(schema.description)}type ${name}${node ? ' implements Node' : ''} {\n${lines.join('\n')}\n}\n`);
    return name;
  }

  // ---- Input types
  function inType(schema: JsonSchema, hint: string): string {
    const ref = refName(schema);
    if (ref) {
      const def = components[ref]!;
      if (hasProperties(def)) return inputType(typeName(`${P}${ref}Input`), def);
      return inType(def, typeName(`${P}${ref}Input`));
    }
    if (schema.oneOf) return 'JSON';
    const types = typesOf(schema);
    if (types.includes('array')) return `[${inType(schema.items ?? {}, `${hint}Item`)}!]`;
    if (types.includes('object') || schema.properties) return hasProperties(schema) ? inputType(typeName(hint), schema) : 'JSON';
    if (types.includes('number') && types.includes('string')) return 'Decimal';
    if (types.length !== 1) return 'JSON';
    return { string: 'String', integer: 'Int', number: 'Float', boolean: 'Boolean' }[types[0]!] ?? 'JSON';
  }

  function inputType(name: string, schema: JsonSchema): string {
    if (inputs.has(name)) return name;
    inputs.set(name, '');
    const required = new Set(schema.required ?? []);
    const lines = Object.entries(schema.properties ?? {}).map(([key, prop]) => {
      const field = graphqlName(key);
      if (field !== key) throw new Error(`${name}.${key}: nested input names must be GraphQL names`);
      const t = inType(prop, `${name.replace(/Input$/, '')}${upperFirst(field)}Input`);
      return `${doc(describe(prop), '  ')}  ${field}: ${t}${required.has(key) && !isNullable(prop) ? '!' : ''}`;
    });
    inputs.set(name, `${doc(schema.description)}input ${name} {\n${lines.join('\n')}\n}\n`);
    return name;
  }

  function describe(schema: JsonSchema): string | undefined {
    const parts = [schema.description];
    if (schema.enum) parts.push(`One of: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}.`);
    if (schema.format === 'uuid') parts.push('A UUID.');
    return parts.filter(Boolean).join(' ') || undefined;
  }

  // ---- zod
  function zOut(schema: JsonSchema): string {
    const ref = refName(schema);
    if (ref) {
      if (!zodOut.has(ref)) {
        zodOut.set(ref, '');
        zodOut.set(ref, zOut(components[ref]!));
      }
      return `out_${ref}`;
    }
    if (schema.oneOf) return `z.union([${schema.oneOf.map(zOut).join(', ')}])`;
    const types = typesOf(schema);
    if (types.includes('array')) return `z.array(${zOut(schema.items ?? {})}.nullable())`;
    if (types.includes('object') || schema.properties) {
      if (!hasProperties(schema)) return 'z.record(z.string(), z.unknown())';
      const required = new Set(schema.required ?? []);
      const props = Object.entries(schema.properties!).map(([k, v]) => `${JSON.stringify(k)}: ${zOut(v)}${k === 'id' && required.has('id') ? '' : '.nullish()'}`);
      return `z.looseObject({ ${props.join(', ')} })`;
    }
    if (types.includes('number') && types.includes('string')) return 'LOOSE_NUMBER';
    if (types.length !== 1) return 'z.unknown()';
    return { string: 'LOOSE_STRING', integer: 'LOOSE_NUMBER', number: 'LOOSE_NUMBER', boolean: 'LOOSE_BOOLEAN' }[types[0]!] ?? 'z.unknown()';
  }

  function zIn(schema: JsonSchema): string {
    const ref = refName(schema);
    if (ref) {
      if (!zodIn.has(ref)) {
        zodIn.set(ref, '');
        zodIn.set(ref, zIn(components[ref]!));
      }
      return `in_${ref}`;
    }
    const nullable = isNullable(schema) ? '.nullable()' : '';
    if (schema.oneOf) return 'z.unknown()';
    const types = typesOf(schema);
    if (types.includes('array')) return `z.array(${zIn(schema.items ?? {})})${schema.maxItems !== undefined ? `.max(${schema.maxItems})` : ''}${nullable}`;
    if (types.includes('object') || schema.properties) {
      if (!hasProperties(schema)) return `z.record(z.string(), z.unknown())${nullable}`;
      return `${zObject(Object.entries(schema.properties!).map(([k, v]) => [k, v, (schema.required ?? []).includes(k)] as const))}${nullable}`;
    }
    if (types.includes('number') && types.includes('string')) return `z.union([z.number(), z.string().regex(/^-?\\d+(\\.\\d+)?$/, 'must be a decimal number')])${nullable}`;
    if (types.length !== 1) return 'z.unknown()';
    let z: string;
    switch (types[0]) {
      case 'string':
        if (schema.enum) {
          z = `z.enum([${schema.enum.map((e) => JSON.stringify(e)).join(', ')}])`;
          break;
        }
        z = 'z.string()';
        if (schema.minLength !== undefined) z += `.min(${schema.minLength})`;
        if (schema.maxLength !== undefined) z += `.max(${schema.maxLength})`;
        if (schema.format === 'uuid') z += `.regex(/${UUID_PATTERN}/, 'must be a UUID')`;
        else if (schema.pattern) z += `.regex(new RegExp(${JSON.stringify(schema.pattern)}))`;
        break;
      case 'integer':
      case 'number':
        z = types[0] === 'integer' ? 'z.number().int()' : 'z.number()';
        if (schema.minimum !== undefined) z += `.min(${schema.minimum})`;
        if (schema.maximum !== undefined) z += `.max(${schema.maximum})`;
        break;
      case 'boolean':
        z = 'z.boolean()';
        break;
      default:
        z = 'z.unknown()';
    }
    return z + nullable;
  }

  function zObject(fields: readonly (readonly [string, JsonSchema, boolean])[]): string {
    return `z.object({ ${fields.map(([k, v, req]) => `${JSON.stringify(k)}: ${zIn(v)}${req ? '' : '.nullish()'}`).join(', ')} })`;
  }

  // ---- Operations
  const queryFields: string[] = [];
  const mutationFields: string[] = [];
  const connections = new Map<string, string>();
  const tsOps: string[] = [];
  const coverage: EmittedVendor['coverage'] = [];

  function connection(item: string): string {
    const base = item.replace(/^\[|\]$/g, '');
    const name = `${base.startsWith(P) ? base : P + base}Connection`;
    if (!connections.has(name)) {
      connections.set(
        name,
        `"A page of ${base} over ${P}'s own paging."\ntype ${name} {\n  edges: [${name.replace(/Connection$/, 'Edge')}!]!\n  nodes: [${base}]!\n  pageInfo: PageInfo!\n  "The vendor's total, when it reports one."\n  totalCount: Int\n}\ntype ${name.replace(/Connection$/, 'Edge')} {\n  cursor: String!\n  node: ${base}\n}\n`,
      );
    }
    return name;
  }

  function itemsSchema(op: OperationModel): JsonSchema {
    const r = resolveRef(components, op.response!);
    const itemsKey = (op.paging?.items as string | undefined) ?? 'data';
    if (r.oneOf) return r.oneOf.find((o) => typesOf(o).includes('array'))?.items ?? {};
    if (typesOf(r).includes('array')) return r.items ?? {};
    return resolveRef(components, r.properties?.[itemsKey] ?? {}).items ?? {};
  }

  for (const op of model.operations) {
    const Op = upperFirst(op.operationId);
    const where = `\`${op.method} ${op.path}\` — ${op.heading}`;
    const description = [op.summary, op.description && op.description !== op.summary ? op.description : '', where].filter(Boolean).join('\n\n');
    const args = op.params.filter((p) => !op.pagingParams.has(p.name));
    const inputFields = args.map((p) => ({ ...p, gql: p.in === 'path' ? 'ID' : inType(p.schema, `${P}${Op}${upperFirst(p.arg)}Input`) }));
    let resultType: string | null = null;
    let gqlType: string;
    let resultKey = '';
    let isList = false;
    if (!op.response) gqlType = 'String';
    else if (op.paging) {
      isList = true;
      const item = outType(itemsSchema(op), `${P}${Op}Item`);
      resultType = item.startsWith('[') ? null : item;
      gqlType = op.paging.style === 'none' ? `[${item}]` : `${connection(item)}!`;
    } else {
      const result = unwrap(op);
      gqlType = outType(result, `${P}${Op}Result`, new Set(op.sensitive.filter((s) => !s.includes('.'))));
      resultType = /^[A-Z]\w*$/.test(gqlType) && objects.has(gqlType) ? gqlType : null;
      const ref = refName(result);
      resultKey = ref && hasProperties(components[ref]!) ? ref[0]!.toLowerCase() + ref.slice(1) : 'result';
    }
    if (op.kind === 'read') {
      const argText = inputFields.map((p) => `${doc(describe({ ...p.schema, description: p.description }), '    ')}    ${p.arg}: ${p.gql}${p.required ? '!' : ''}`);
      if (op.paging && op.paging.style !== 'none') argText.push('    "At most this many (the vendor\'s page size)."\n    first: Int', '    "A cursor from this connection."\n    after: String');
      queryFields.push(`${doc(description, '  ')}  ${op.field}${argText.length ? `(\n${argText.join('\n')}\n  )` : ''}: ${gqlType}`);
      coverage.push({ vendor: model.vendor, heading: op.heading, method: op.method, path: op.path, operationId: op.operationId, kind: 'read', graphql: `Query.${model.vendor}.${op.field}` });
    } else {
      const inputName = `${P}${Op}Input`;
      const fieldsText = inputFields.map((p) => `${doc(describe({ ...p.schema, description: p.description }), '  ')}  ${p.arg}: ${p.gql}${p.required ? '!' : ''}`);
      if (op.body === 'array') fieldsText.push(`  "The rows to send (the vendor takes an array)."\n  rows: [${inType(op.bodyRows!, `${P}${Op}RowInput`)}!]!`);
      const hasInput = fieldsText.length > 0;
      if (hasInput) inputs.set(inputName, `${doc(`Input of \`${op.field}\`.`)}input ${inputName} {\n${fieldsText.join('\n')}\n}\n`);
      const payload = `${P}${Op}Payload`;
      objects.set(payload, `${doc(`Result of \`${op.field}\`.`)}type ${payload} {\n  ${resultKey || 'result'}: ${gqlType.replace(/!$/, '')}\n}\n`);
      const required = fieldsText.some((f) => f.endsWith('!'));
      mutationFields.push(
        `${doc(description, '  ')}  ${op.field}(${hasInput ? `input: ${inputName}${required ? '!' : ''}, ` : ''}"Retries with the same key and input within the window return the first outcome without writing again."\n    idempotencyKey: String): ${payload}!`,
      );
      coverage.push({ vendor: model.vendor, heading: op.heading, method: op.method, path: op.path, operationId: op.operationId, kind: 'write', graphql: `Mutation.${op.field}` });
    }
    // zod of the input: every argument, by its GraphQL name.
    const zFields = inputFields.map((p) => [p.arg, p.schema, p.required] as const);
    let inputZod = zObject(zFields);
    // Path ids: the vendor's id or one of its records' global ids, in the documented format.
    for (const p of inputFields.filter((f) => f.in === 'path')) {
      const format = p.schema.type === 'integer' ? 'integer' : p.schema.format === 'uuid' ? 'uuid' : 'string';
      inputZod = inputZod.replace(`${JSON.stringify(p.arg)}: ${zIn(p.schema)}`, `${JSON.stringify(p.arg)}: pathParam(${JSON.stringify(model.vendor)}, ${JSON.stringify(format)})`);
    }
    if (op.body === 'array') inputZod = inputZod.replace(/ \}\)$/, `${zFields.length ? ',' : ''} "rows": z.array(${zIn(op.bodyRows!)}).min(1)${''} })`);
    tsOps.push(
      `  {\n    vendor: ${JSON.stringify(model.vendor)},\n    operationId: ${JSON.stringify(op.operationId)},\n    kind: ${JSON.stringify(op.kind)},\n    graphql: { type: ${JSON.stringify(op.kind === 'read' ? `${P}Query` : 'Mutation')}, field: ${JSON.stringify(op.field)} },\n    heading: ${JSON.stringify(op.heading)},\n    method: ${JSON.stringify(op.method)},\n    path: ${JSON.stringify(op.path)},\n    params: ${JSON.stringify(args.map((p) => ({ arg: p.arg, name: p.name, in: p.in, array: typesOf(p.schema).includes('array') })))},\n    body: ${JSON.stringify(op.body)},\n    input: ${inputZod},\n    response: ${op.response ? zOut(op.response) : 'z.unknown()'},\n    resultPath: ${JSON.stringify(op.resultPath)},\n    resultKey: ${JSON.stringify(op.kind === 'write' ? resultKey || 'result' : '')},\n    paging: ${JSON.stringify(op.paging)},\n    list: ${isList},\n    resultType: ${JSON.stringify(resultType)},\n    binary: ${op.response === null},\n    sensitive: ${JSON.stringify(op.sensitive)},\n  },`,
    );
  }

  const sdl = [
    `# Generated by \`npm run codegen\` from docs/vendors/${model.vendor}.openapi.yaml. Do not edit.\n`,
    `${doc(`${model.title}: every operation of the vendor's document, typed. ${model.description}`)}type ${P}Query {\n${queryFields.join('\n')}\n}\n`,
    `extend type Query {\n${doc(`${model.title}: every read the vendor documents, through opsgraph's budget, retries, breaker and errors.`, '  ')}  ${model.vendor}: ${P}Query!\n}\n`,
    `extend type Mutation {\n${mutationFields.join('\n')}\n}\n`,
    ...[...objects.values()],
    ...[...inputs.values()],
    ...[...connections.values()],
  ].join('\n');

  const ts = [
    '/* eslint-disable */',
    `// Generated by \`npm run codegen\` from docs/vendors/${model.vendor}.openapi.yaml. Do not edit.`,
    "import { z } from 'zod';",
    "import { LOOSE_BOOLEAN, LOOSE_NUMBER, LOOSE_STRING } from '../vendor-api/loose.js';",
    "import { pathParam } from '../vendor-api/path-param.js';",
    "import type { VendorApi } from '../vendor-api/types.js';",
    '',
    ...[...zodOut.entries()].map(([k, v]) => `const out_${k}: z.ZodType = z.lazy(() => ${v});`),
    ...[...zodIn.entries()].map(([k, v]) => `const in_${k}: z.ZodType = z.lazy(() => ${v});`),
    '',
    `export const ${model.vendor}Api: VendorApi = {`,
    `  vendor: ${JSON.stringify(model.vendor)},`,
    '  operations: [',
    ...tsOps,
    '  ],',
    `  nodes: ${JSON.stringify([...nodes.values()], null, 2).replace(/\n/g, '\n  ')},`,
    `  renames: ${JSON.stringify(renames)},`,
    `  idTypes: ${JSON.stringify([...idTypes].sort())},`,
    '};',
    '',
  ].join('\n');
  return { sdl, ts, coverage };
}
