import { stableUuid } from '../world/index.js';

/**
 * HAPIHub is a Feathers service over MongoDB, so its ids are ObjectIds: 24 lowercase hex digits,
 * the first 8 being the creation time in seconds. The document only shows the placeholder
 * "service-id"; the format is our decision (docs/vendors/hapihub.md, "Ids").
 */
export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID_PATTERN.test(value);
}

/** An ObjectId laid out as MongoDB does: 4 bytes of seconds, 5 bytes of "machine", 3 bytes of counter. */
export function objectId(epochMs: number, machine: string, counter: number): string {
  const seconds = Math.floor(epochMs / 1000).toString(16).padStart(8, '0').slice(-8);
  return `${seconds}${machine.slice(0, 10).padStart(10, '0')}${(counter & 0xffffff).toString(16).padStart(6, '0')}`;
}

/** Ten hex digits derived from a name: the "machine" part of the ObjectIds one generator mints. */
export function machineOf(name: string): string {
  return stableUuid('hapihub-machine', name).replace(/-/g, '').slice(0, 10);
}

/**
 * A stable ObjectId for a record that exists outside any transaction (a warehouse, a user, an
 * account), so the same world key always gets the same id, whatever the seed.
 */
export function stableObjectId(namespace: string, key: string, epochMs: number): string {
  const hex = stableUuid(`hapihub-${namespace}`, key).replace(/-/g, '');
  return objectId(epochMs, hex.slice(0, 10), parseInt(hex.slice(10, 16), 16));
}
