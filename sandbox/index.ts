import type { SandboxHandle, SandboxOptions } from './core/server.js';
import { generateWorld, type VendorName, type World } from './world/index.js';
import { startIsolocitySandbox } from './isolocity/index.js';
import { startPharusSandbox } from './pharus/index.js';
import { startDistruSandbox } from './distru/index.js';
import { startHapihubSandbox } from './hapihub/index.js';

export type { SandboxHandle, SandboxOptions } from './core/server.js';

export interface SandboxesOptions {
  seed?: number;
  scale?: number;
  /** Added to every vendor request, in every sandbox. */
  latencyMs?: number;
  host?: string;
  /** Per-vendor port; 0 picks a free one. Defaults: 4101-4104. */
  ports?: Partial<Record<VendorName, number>>;
  /** Only these vendors (default: all four). */
  only?: readonly VendorName[];
  world?: World;
  /** Every sandbox enforces its vendor's strict rules (Distru: pages of 25, 2 calls in any second). */
  strict?: boolean;
}

export interface Sandboxes {
  world: World;
  handles: Partial<Record<VendorName, SandboxHandle>>;
  close(): Promise<void>;
}

const starters: Record<VendorName, (o: SandboxOptions) => Promise<SandboxHandle>> = {
  isolocity: startIsolocitySandbox,
  pharus: startPharusSandbox,
  distru: startDistruSandbox,
  hapihub: startHapihubSandbox,
};

/** Starts the vendor sandboxes over one shared world, on loopback. */
export async function startSandboxes(options: SandboxesOptions = {}): Promise<Sandboxes> {
  const world = options.world ?? generateWorld({ seed: options.seed ?? 42, scale: options.scale ?? 1 });
  const vendors = options.only ?? (Object.keys(starters) as VendorName[]);
  const handles: Partial<Record<VendorName, SandboxHandle>> = {};
  try {
    for (const vendor of vendors) {
      const port = options.ports?.[vendor];
      handles[vendor] = await starters[vendor]({
        world,
        ...(port !== undefined ? { port } : {}),
        ...(options.host !== undefined ? { host: options.host } : {}),
        ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
        ...(options.strict ? { strict: true } : {}),
      });
    }
  } catch (error) {
    await Promise.all(Object.values(handles).map((h) => h.close()));
    throw error;
  }
  return {
    world,
    handles,
    close: async () => {
      await Promise.all(Object.values(handles).map((h) => h.close()));
    },
  };
}
