import type { ExportParam } from './exports.js';

/** A query parameter the export does not take, or takes once and got twice. */
export class ParamError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

/** Parameters every export takes besides its filters. */
const ORDERING = ['orderBy', 'direction'];

/**
 * An export's query string as its list's filter input (the shape GraphQL gives the connection), so
 * both go through the same checks. List parameters may repeat (`status=OPEN&status=DRAFT`) or hold
 * commas (`status=OPEN,DRAFT`); others appear at most once. Values are checked by the list's filter
 * rules afterwards; here only the parameter names and counts.
 */
export function filterOfParams(query: URLSearchParams, params: readonly ExportParam[]): { filter: Record<string, unknown>; orderBy: { field: string; direction?: string } | null } {
  const filter: Record<string, unknown> = {};
  const names = new Set(query.keys());
  for (const name of names) {
    const param = params.find((p) => p.name === name);
    if (!param && !ORDERING.includes(name)) throw new ParamError(name, `not a parameter of this export; it takes ${[...params.map((p) => p.name), ...ORDERING].join(', ')}`);
    const values = query.getAll(name);
    if (!param) {
      if (values.length > 1) throw new ParamError(name, 'given more than once');
      continue;
    }
    if (param.list) {
      set(
        filter,
        param.target,
        values.flatMap((v) => v.split(',')),
      );
    } else {
      if (values.length > 1) throw new ParamError(name, 'given more than once');
      set(filter, param.target, values[0]);
    }
  }
  const field = query.get('orderBy');
  const direction = query.get('direction');
  if (field === null && direction !== null) throw new ParamError('direction', 'goes with orderBy');
  return { filter, orderBy: field === null ? null : { field: field.toUpperCase(), ...(direction !== null ? { direction: direction.toUpperCase() } : {}) } };
}

/** Sets `a.b` in a plain object. */
function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  set(child, rest.join('.'), value);
}
