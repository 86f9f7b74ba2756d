import type { World } from './world/index.js';
import { distruId } from './distru/project.js';

/** The vendor id of a Distru showcase order in the sandbox (what tests, the bench and GraphiQL open). */
export function distruShowcaseOrderId(world: World, size: keyof World['showcase']['distru']): string {
  return distruId('order', world.showcase.distru[size]);
}
