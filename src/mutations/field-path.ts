/**
 * Field paths in the client's terms: `input.items[2].orderItemId`. Vendors point at their own
 * fields (Distru `pointer: ["items", 2, "order_item_id"]`); the vendor's write code maps that to
 * the path in the GraphQL input, and this formats it.
 */
export type InputPath = readonly (string | number)[];

export function formatInputPath(path: InputPath, root = 'input'): string {
  let out = root;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${part}`;
  return out;
}

/** snake_case → camelCase, for vendors whose field names map one-to-one onto our input's. */
export function camelCase(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
