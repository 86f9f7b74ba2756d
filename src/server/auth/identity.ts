import type { VendorName } from '../../errors.js';

/**
 * Who sent a request: the client's name (from its API key entry or its JWT) and what it may do.
 * Scopes: `read` (queries), `write` (every mutation), `write:<vendor>` (mutations of one vendor).
 */
export interface ClientIdentity {
  name: string;
  scopes: ReadonlySet<string>;
  via: 'api-key' | 'jwt' | 'open';
}

/** `AUTH=none`: everyone is the same client and may do everything. */
export const OPEN_CLIENT: ClientIdentity = { name: 'anonymous', scopes: new Set(['read', 'write']), via: 'open' };

export function canRead(client: ClientIdentity): boolean {
  return client.scopes.has('read');
}

/** May write somewhere (a mutation operation is worth starting). */
export function canWriteAny(client: ClientIdentity): boolean {
  for (const scope of client.scopes) if (scope === 'write' || scope.startsWith('write:')) return true;
  return false;
}

export function canWrite(client: ClientIdentity, vendor: VendorName): boolean {
  return client.scopes.has('write') || client.scopes.has(`write:${vendor}`);
}
