import { expect } from 'vitest';
import type { Stack } from './stack.js';

/** Sandboxes whose HTTP API a test reads directly, to compare GraphQL with the vendor's own answer. */
export type ReadableVendor = 'distru' | 'pharus' | 'isolocity';

/** GET a path of a vendor sandbox's own API with its credentials (the witness a test compares GraphQL against). */
export async function readFromSandbox(stack: Stack, vendor: ReadableVendor, path: string): Promise<Record<string, unknown>> {
  const handle = stack.sandboxes.handles[vendor]!;
  const base = { distru: '', pharus: '/api', isolocity: '/api/v2' }[vendor];
  const headers: Record<string, string> = { authorization: `Bearer ${handle.credentials.token}` };
  if (handle.credentials.orgId) headers['x-org-id'] = handle.credentials.orgId;
  const response = await fetch(`${handle.url}${base}${path}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}
