import type { GraphQLFieldResolver } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { opsError } from '../errors.js';
import { forbiddenOnWrite } from '../mutations/forbidden.js';
import { runMutation } from '../mutations/run.js';
import type { GatewayContext } from '../server/context.js';
import { connectionOf, itemsOf } from './connection.js';
import { at, executeOperation, type Input } from './execute.js';
import { toVendorGlobalId } from './global-id.js';
import { vendorApiLinks } from './links.js';
import { vendorApis } from './registry.js';
import type { VendorApi, VendorOperation } from './types.js';

type Resolver = GraphQLFieldResolver<unknown, GatewayContext, Record<string, unknown>>;
type TypeResolvers = Record<string, Resolver>;

/**
 * The resolvers of every generated vendor API: one generic resolver per operation kind, driven by
 * the generated operation tables. Reads validate their arguments (BAD_USER_INPUT naming each field)
 * before any call; writes run through `runMutation` (validation, idempotency keys, field paths of
 * vendor errors), exactly like the hand-written mutations.
 */
export function vendorApiResolvers(): Record<string, TypeResolvers | typeof JSONResolver> {
  const resolvers: Record<string, TypeResolvers> = { Query: {}, Mutation: {} };
  for (const api of vendorApis) {
    const queryType = api.operations.find((op) => op.kind === 'read')?.graphql.type;
    if (queryType) {
      resolvers.Query![api.vendor] = () => ({});
      resolvers[queryType] = {};
    }
    for (const op of api.operations) {
      if (op.kind === 'read') resolvers[op.graphql.type]![op.graphql.field] = readResolver(op);
      else resolvers.Mutation![op.graphql.field] = writeResolver(op);
    }
    addRecordFields(api, resolvers);
  }
  for (const [type, fields] of Object.entries(vendorApiLinks)) resolvers[type] = { ...resolvers[type], ...(fields as TypeResolvers) };
  return { ...resolvers, JSON: JSONResolver };
}

function readResolver(op: VendorOperation): Resolver {
  return async (_root, args, ctx) => {
    const { first, after, ...rest } = args;
    const input = validateReadArgs(op, rest);
    if (op.paging && op.paging.style !== 'none') return connectionOf(op, input, ctx, first as number | null | undefined, after as string | null | undefined);
    const body = await executeOperation(op, input, ctx);
    if (body === null) return null;
    return op.list ? itemsOf(op, body) : at(body, op.resultPath);
  };
}

function validateReadArgs(op: VendorOperation, args: Record<string, unknown>): Input {
  const parsed = op.input.safeParse(args);
  if (parsed.success) return parsed.data as Input;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(arguments)', message: issue.message }));
  throw opsError(`${op.graphql.field}: invalid arguments: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { code: 'BAD_USER_INPUT', vendor: op.vendor, field: fields[0]!.field, fields });
}

function writeResolver(op: VendorOperation): Resolver {
  const route = `${op.method} ${op.path}`;
  return (_root, args, ctx) =>
    runMutation(
      {
        name: op.graphql.field,
        input: op.input,
        write: async (input) => {
          try {
            const body = await executeOperation(op, input as Input, ctx);
            return { [op.resultKey]: at(body, op.resultPath) };
          } catch (error) {
            throw forbiddenOnWrite(op.vendor, route, error);
          }
        },
      },
      { ...((args.input as Input | undefined) ?? {}), ...(typeof args.idempotencyKey === 'string' ? { idempotencyKey: args.idempotencyKey } : {}) },
      ctx,
    );
}

/** Node types get their global `id` and `vendorId`; other records their `vendorId`; renamed fields read the vendor's name. */
function addRecordFields(api: VendorApi, resolvers: Record<string, TypeResolvers>): void {
  const vendorIdOf = (record: unknown) => {
    const id = (record as { id?: unknown }).id;
    return id === undefined || id === null ? null : String(id);
  };
  for (const type of api.idTypes) resolvers[type] = { ...resolvers[type], vendorId: vendorIdOf };
  for (const node of api.nodes) {
    resolvers[node.type] = {
      ...resolvers[node.type],
      id: (record) => toVendorGlobalId(node.type, api.vendor, vendorIdOf(record) ?? ''),
      vendorId: vendorIdOf,
    };
  }
  for (const [type, fields] of Object.entries(api.renames)) {
    resolvers[type] = { ...resolvers[type] };
    for (const [field, vendorField] of Object.entries(fields)) resolvers[type]![field] = (record) => (record as Record<string, unknown>)[vendorField];
  }
}

