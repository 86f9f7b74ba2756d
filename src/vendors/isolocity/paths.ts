import { readFileSync } from 'node:fs';

/**
 * Every ISOlocity call opsgraph makes, as `METHOD /path` relative to ISOLOCITY_BASE_URL, in one
 * table. None of these paths is verified: neither the seed document nor the fuller public rendering
 * (https://docs.isolocity.com) shows an HTTP path, so they are our reading of the operation names
 * (docs/vendors/isolocity.md, "Paths"). A user whose ISOlocity answers elsewhere replaces the whole
 * table with ISOLOCITY_PATHS_FILE (a JSON object of these keys; config/isolocity-paths.example.json
 * is this table). `{id}`-style placeholders are filled with the encoded ids, in order.
 */
export const DEFAULT_ISOLOCITY_PATHS = {
  listParts: 'GET /parts',
  getPart: 'GET /parts/{id}',
  listInspections: 'GET /inspections',
  getInspection: 'GET /inspections/{id}',
  listNcrs: 'GET /ncrs',
  getNcr: 'GET /ncrs/{id}',
  listInventory: 'GET /inventory',
  listOrders: 'GET /orders',
  getOrder: 'GET /orders/{id}',
  listCustomers: 'GET /customers',
  createNcr: 'POST /ncrs',
  updateNcr: 'PATCH /ncrs/{id}',
  createInspection: 'POST /inspections',
  updateInspection: 'PATCH /inspections/{id}',
  addSample: 'POST /inspections/{id}/samples',
  updateSample: 'PATCH /inspections/{id}/samples/{sample_id}',
  deleteSample: 'DELETE /inspections/{id}/samples/{sample_id}',
} as const;

export type IsolocityOperation = keyof typeof DEFAULT_ISOLOCITY_PATHS;
export type IsolocityPaths = Record<IsolocityOperation, string>;
export const ISOLOCITY_OPERATIONS = Object.keys(DEFAULT_ISOLOCITY_PATHS) as IsolocityOperation[];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation resolved: its method, its name in errors and traces, and its path for given ids. */
export interface Endpoint<M extends HttpMethod = HttpMethod> {
  method: M;
  /** `METHOD /parts/:id`: names the call in errors and traces. */
  route: string;
  path: (...ids: string[]) => string;
}

const ENTRY = /^(GET|POST|PUT|PATCH|DELETE) (\/[^\s?#]*)$/;
const PLACEHOLDER = /\{([a-z_]+)\}/g;

function placeholders(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** The reads must stay reads: a table that sends a list read as a POST would write. */
function isRead(operation: IsolocityOperation): boolean {
  return DEFAULT_ISOLOCITY_PATHS[operation].startsWith('GET ');
}

function toEndpoint(entry: string): Endpoint {
  const match = ENTRY.exec(entry) as RegExpExecArray;
  const method = match[1] as HttpMethod;
  const template = match[2] as string;
  return {
    method,
    route: `${method} ${template.replace(PLACEHOLDER, ':$1')}`,
    path: (...ids) => {
      let i = 0;
      return template.replace(PLACEHOLDER, () => encodeURIComponent(ids[i++] ?? ''));
    },
  };
}

export type IsolocityEndpoints = Record<IsolocityOperation, Endpoint>;

/** The endpoints of a (checked) paths table. */
export function isolocityEndpoints(paths: IsolocityPaths = DEFAULT_ISOLOCITY_PATHS): IsolocityEndpoints {
  return Object.fromEntries(ISOLOCITY_OPERATIONS.map((op) => [op, toEndpoint(paths[op])])) as IsolocityEndpoints;
}

/**
 * Every problem of a paths table, each naming the operation: unknown and missing operations, an
 * entry that is not `METHOD /path`, a read that is not a GET, placeholders other than the default
 * entry's (the gateway has exactly those ids to fill in). Empty when the table is usable.
 */
export function pathsTableProblems(table: unknown): string[] {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return ['must be a JSON object of operation → "METHOD /path"'];
  const problems: string[] = [];
  const entries = table as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    if (!(key in DEFAULT_ISOLOCITY_PATHS)) problems.push(`unknown operation "${key}" (known: ${ISOLOCITY_OPERATIONS.join(', ')})`);
  }
  for (const op of ISOLOCITY_OPERATIONS) {
    const value = entries[op];
    if (value === undefined) {
      problems.push(`operation "${op}" is missing (default: "${DEFAULT_ISOLOCITY_PATHS[op]}")`);
      continue;
    }
    const match = typeof value === 'string' ? ENTRY.exec(value) : null;
    if (!match) {
      problems.push(`operation "${op}": ${JSON.stringify(value)} is not "METHOD /path" (e.g. "${DEFAULT_ISOLOCITY_PATHS[op]}")`);
      continue;
    }
    if (isRead(op) && match[1] !== 'GET') problems.push(`operation "${op}" is a read and must use GET, not ${match[1]}`);
    if (!isRead(op) && match[1] === 'GET') problems.push(`operation "${op}" is a write and cannot use GET`);
    const wanted = placeholders(DEFAULT_ISOLOCITY_PATHS[op]).join(', ');
    const given = placeholders(match[2] as string).join(', ');
    if (wanted !== given) problems.push(`operation "${op}" must have the placeholders [${wanted}] in this order, has [${given}]`);
  }
  return problems;
}

/** Reads and checks ISOLOCITY_PATHS_FILE; throws an Error naming the file and every problem. */
export function loadIsolocityPaths(file: string): IsolocityPaths {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`ISOLOCITY_PATHS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let table: unknown;
  try {
    table = JSON.parse(text);
  } catch (error) {
    throw new Error(`ISOLOCITY_PATHS_FILE: ${file} is not JSON (${(error as Error).message})`);
  }
  const problems = pathsTableProblems(table);
  if (problems.length > 0) throw new Error(`ISOLOCITY_PATHS_FILE: ${file}: ${problems.join('; ')}`);
  return table as IsolocityPaths;
}
