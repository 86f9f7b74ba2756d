import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { VendorConnection } from '../src/config.js';
import type { Vendor } from '../src/model/records.js';
import { vendorModules } from '../src/vendors/registry.js';
import { VENDORS, type VendorName } from '../sandbox/world/index.js';

/**
 * The sandboxes in a child process, as real vendors are on other machines: their CPU work
 * (building and serialising responses) then does not steal the gateway's event loop, and the
 * benchmark measures the gateway alone plus the injected latency.
 */
export interface SandboxProcess {
  connections: Partial<Record<Vendor, VendorConnection>>;
  /** Each vendor's root URL (its test hooks live under /__sandbox/). */
  urls: Record<VendorName, string>;
  stop(): Promise<void>;
}

const DEV_TOKENS: Record<VendorName, string> = {
  isolocity: 'dev-isolocity-token',
  pharus: 'dev-pharus-token',
  distru: 'dev-distru-token',
  hapihub: 'dev-hapihub-token',
};

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  return port;
}

export async function startSandboxProcess(options: { latencyMs: number; seed?: number; scale?: number; strict?: boolean }): Promise<SandboxProcess> {
  const ports = {} as Record<VendorName, number>;
  for (const vendor of VENDORS) ports[vendor] = await freePort();
  const cli = fileURLToPath(new URL('../sandbox/cli.ts', import.meta.url));
  const args = ['--import', 'tsx', cli, '--latency', String(options.latencyMs), '--seed', String(options.seed ?? 42), '--scale', String(options.scale ?? 1)];
  for (const vendor of VENDORS) args.push(`--${vendor}-port`, String(ports[vendor]));
  // Strict: each vendor enforces what the real one may (Distru answers 429 past 2 calls in a second).
  if (options.strict) args.push('--strict');
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandboxes did not start within 60 s')), 60_000);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Test hooks on each')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  const connections: Partial<Record<Vendor, VendorConnection>> = {};
  for (const vendor of VENDORS) {
    const upper = vendor.toUpperCase() as Vendor;
    connections[upper] = {
      baseUrl: `http://127.0.0.1:${ports[vendor]}${vendorModules[upper].sandboxBasePath}`,
      token: DEV_TOKENS[vendor],
      ...(vendor === 'pharus' ? { orgId: 'dev-org' } : {}),
    };
  }
  return {
    connections,
    urls: Object.fromEntries(VENDORS.map((vendor) => [vendor, `http://127.0.0.1:${ports[vendor]}`])) as Record<VendorName, string>,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
