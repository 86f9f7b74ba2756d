import type { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { errorCode, opsError } from '../errors.js';
import type { GatewayContext } from '../server/context.js';
import { formatInputPath, type InputPath } from './field-path.js';
import { idempotencyKeySchema, type Recognition } from './idempotency.js';

/**
 * How every mutation runs:
 * 1. the input (already type-checked by GraphQL) is validated with zod; any problem → one
 *    VALIDATION_FAILED error listing every field (`extensions.fields`), before any vendor call;
 * 2. with an `idempotencyKey` (at most 200 characters, no control characters: refused before any
 *    call otherwise), the write goes through the idempotency store (same key + same input → the
 *    first result; different input → IDEMPOTENCY_CONFLICT; concurrent → one write; an earlier
 *    write whose outcome is unknown is first looked for at the vendor, by `recognise`);
 * 3. a vendor's own validation error arrives with `extensions.inputPath` (the path in our input,
 *    mapped by the vendor's write code) and leaves as `extensions.field: "input.items[2].orderItemId"`;
 * 4. after a write, this request's loaders forget what they held (the vendor's write code has
 *    already invalidated the cross-request indexes it touched), so the payload shows the new state.
 */
export interface MutationSpec<S extends z.ZodType, R> {
  name: string;
  input: S;
  write(input: z.output<S>, ctx: GatewayContext): Promise<R>;
  /**
   * How this mutation finds its own earlier write at the vendor when that write's answer was lost
   * (docs/gateway.md "Retrying a mutation"). Absent: it cannot, and an unknown outcome stays unknown.
   */
  recognise?(input: z.output<S>, ctx: GatewayContext, key: string): Recognition<R>;
}

export async function runMutation<S extends z.ZodType, R>(spec: MutationSpec<S, R>, rawInput: unknown, ctx: GatewayContext): Promise<R> {
  const key = idempotencyKeyOf(spec.name, rawInput);
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ field: formatInputPath(issue.path as InputPath), message: issue.message }));
    const first = fields[0];
    throw opsError(`${spec.name}: invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, {
      code: 'VALIDATION_FAILED',
      ...(first ? { field: first.field } : {}),
      fields,
    });
  }
  const input = parsed.data as z.output<S>;
  const write = async () => {
    try {
      return await spec.write(input, ctx);
    } catch (error) {
      throw withInputField(error);
    } finally {
      ctx.loaders.clearAll();
    }
  };
  if (key === null) return write();
  const recognise: Recognition<R> = spec.recognise?.(input, ctx, key) ?? { kind: 'none', check: `look at the vendor for the record this ${spec.name} input describes` };
  // A find reads through this request's loaders too: what it read must not outlive it.
  const found: Recognition<R> = recognise.kind === 'find' ? { kind: 'find', find: () => recognise.find().finally(() => ctx.loaders.clearAll()) } : recognise;
  return ctx.runtime.idempotency.run({ mutation: spec.name, key, input: rawInput, write, recognise: found });
}

/** The input's idempotency key (null when none), checked before anything else runs. */
function idempotencyKeyOf(mutation: string, rawInput: unknown): string | null {
  const raw = (rawInput as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  if (raw === undefined || raw === null) return null;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw opsError(`${mutation}: invalid input: input.idempotencyKey: ${message}`, { code: 'VALIDATION_FAILED', field: 'input.idempotencyKey', fields: [{ field: 'input.idempotencyKey', message }] });
}

/** Adds `field: "input.…"` to a vendor error that carries `inputPath`. */
function withInputField(error: unknown): unknown {
  if (!errorCode(error)) return error;
  const graphqlError = error as GraphQLError;
  const path = graphqlError.extensions?.inputPath as InputPath | undefined;
  if (!path || graphqlError.extensions?.field) return error;
  return opsError(graphqlError.message, { ...(graphqlError.extensions as { code: never }), field: formatInputPath(path) });
}
