import type { Vendor } from '../../model/records.js';
import type { RelationSpec } from '../relation.js';
import { distruRelations } from './distru.js';
import { hapihubRelations } from './hapihub.js';
import { isolocityRelations } from './isolocity.js';
import { pharusRelations } from './pharus.js';

/** Each vendor's relations, in the order a pass runs them (those others read from the store first). */
export const RELATIONS: Record<Vendor, readonly RelationSpec[]> = {
  DISTRU: distruRelations,
  PHARUS: pharusRelations,
  ISOLOCITY: isolocityRelations,
  HAPIHUB: hapihubRelations,
};
