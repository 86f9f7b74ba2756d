import { badRequest } from './errors.js';

/**
 * Feathers parses query strings with `qs`, so brackets nest: `createdAt[$gt]=5` is
 * `{ createdAt: { $gt: '5' } }`, `type[$in][]=a&type[$in][]=b` an array, `$or[0][type]=sales` an
 * array of objects. Fastify's own parser keeps brackets in the key, so the list route parses the raw
 * query string here. Values stay text; the query engine converts them to each field's type.
 */
export type QueryNode = string | QueryNode[] | { [key: string]: QueryNode };
export type QueryObject = { [key: string]: QueryNode };

/** qs's default depth: deeper keys are refused rather than silently flattened. */
const MAX_DEPTH = 5;

interface Leaf {
  values: string[];
  /** Written as `a[]=` or repeated: an array even with one value. */
  array: boolean;
}
type Branch = Map<string, Leaf | Branch>;

/** `a[b][]` → ['a', 'b', '']; a key that is not well formed is one literal segment, as in qs. */
function keySegments(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) return [key];
  const brackets = match[2] ?? '';
  return [match[1], ...Array.from(brackets.matchAll(/\[([^[\]]*)\]/g), (m) => m[1] ?? '')];
}

export function parseQueryString(search: string): QueryObject {
  const root: Branch = new Map();
  for (const [key, value] of new URLSearchParams(search)) {
    const segments = keySegments(key);
    if (segments.length > MAX_DEPTH + 1) throw badRequest(`Invalid query parameter ${key}`, { [key]: `nests deeper than ${MAX_DEPTH} levels` });
    const append = segments[segments.length - 1] === '';
    const path = append ? segments.slice(0, -1) : segments;
    if (path.length === 0 || path.includes('')) throw badRequest(`Invalid query parameter ${key}`, { [key]: 'empty [] is only allowed at the end' });
    let branch = root;
    for (const segment of path.slice(0, -1)) {
      const next = branch.get(segment) ?? new Map<string, Leaf | Branch>();
      if (!(next instanceof Map)) throw badRequest(`Invalid query parameter ${key}`, { [key]: 'is given both as a value and as an object' });
      branch.set(segment, next);
      branch = next;
    }
    const last = path[path.length - 1] as string;
    const existing = branch.get(last);
    if (existing instanceof Map) throw badRequest(`Invalid query parameter ${key}`, { [key]: 'is given both as a value and as an object' });
    if (existing) {
      existing.values.push(value);
      existing.array = true;
    } else {
      branch.set(last, { values: [value], array: append });
    }
  }
  return toObject(root);
}

function toNode(node: Leaf | Branch): QueryNode {
  if (!(node instanceof Map)) return node.array ? node.values : (node.values[0] as string);
  const keys = [...node.keys()];
  // `a[0]=x&a[1]=y` is an array in qs; order by index, not by arrival.
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => toNode(node.get(k) as Leaf | Branch));
  }
  return toObject(node);
}

function toObject(branch: Branch): QueryObject {
  // Object.fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
  return Object.fromEntries([...branch].map(([k, v]) => [k, toNode(v)]));
}
