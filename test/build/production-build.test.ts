import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { cleanEnv, ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

// The compiled build as users run it: `npm run build`, then `node dist/src/main.js` under a module
// hook that refuses whatever a production install (`npm ci --omit=dev`, the Dockerfile) lacks, and
// `npm start` (which builds first) stopped by SIGTERM sent to the npm process.

const PRODUCTION_ONLY = ['--import', './test/support/production-only/register.mjs'];
const QUERY = 'query One($id: ID!) { order(id: $id) { id number invoices { number } lines { quantity sku { code inventory { vendor onHand } } } } }';

let sandboxes: Sandboxes;
const started: GatewayProcess[] = [];
/** The compiled gateway's own store, in a temporary directory. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-build-'));

beforeAll(async () => {
  const build = spawn('npm', ['run', 'build'], {
    cwd: ROOT,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  build.stdout.on('data', (c: Buffer) => (output += c.toString()));
  build.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output}`);
  sandboxes = await startSandboxes({
    scale: 0.2,
    ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 },
  });
}, 300_000);

afterAll(async () => {
  for (const p of started) await p.kill();
  await sandboxes?.close();
});

/** What a deployment sets: each vendor's base URL and token. */
function vendorEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [vendor, connection] of Object.entries(sandboxConnections(sandboxes))) {
    env[`${vendor}_BASE_URL`] = connection.baseUrl;
    env[`${vendor}_TOKEN`] = connection.token;
    if (connection.orgId) env[`${vendor}_ORG_ID`] = connection.orgId;
  }
  return env;
}

async function post(
  graphqlUrl: string,
  id: string,
): Promise<{
  status: number;
  body: {
    data?: { order: { id: string; lines: unknown[] } | null };
    errors?: unknown[];
  };
}> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY, variables: { id } }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

function refuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe('the compiled build', () => {
  it('emits JavaScript and the SDL to dist/', () => {
    for (const file of ['dist/src/main.js', 'dist/src/server/app.js', 'dist/resolvers/index.js', 'dist/schema/orders.graphql', 'dist/sandbox/gateway-mode.js'])
      expect(existsSync(`${ROOT}${file}`), file).toBe(true);
  });

  it('serves the flagship data with node alone, loading no simulator, no development package and no TypeScript', async () => {
    const gateway = await startGatewayProcess(
      process.execPath,
      [...PRODUCTION_ONLY, 'dist/src/main.js'],
      cleanEnv({
        ...vendorEnv(),
        NODE_ENV: 'production',
        // Client authentication has its own tests; this one is about what a production install loads.
        AUTH: 'none',
        OPSGRAPH_DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
    );
    started.push(gateway);
    expect(gateway.output()).toContain('(real vendors)');
    // As a load balancer would: wait for /readyz (ready once each vendor's first sync is complete;
    // before that the SKU lookups answer SYNC_IN_PROGRESS). Bounded.
    const readyz = gateway.graphqlUrl.replace(/\/graphql$/, '/readyz');
    const readyBy = Date.now() + 60_000;
    while ((await fetch(readyz)).status !== 200) {
      expect(Date.now(), 'the gateway to be ready within 60 s').toBeLessThan(readyBy);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(sandboxes.world, 'tenLines'));
    const answer = await post(gateway.graphqlUrl, id);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.order?.lines).toHaveLength(10);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual([0, null]);
    expect(gateway.output()).not.toContain('[production-only]');
  }, 120_000);

  it('in a production install with no vendor configured, stops at start saying which settings to set', async () => {
    const gateway = startGatewayProcess(process.execPath, [...PRODUCTION_ONLY, 'dist/src/main.js'], cleanEnv({ PORT: '0', HOST: '127.0.0.1', SANDBOX_BASE_PORT: '0' }));
    await expect(gateway).rejects.toThrow(/exited \(1\) before it was ready/);
    const output = await gateway.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(output).toContain('opsgraph: no vendor is configured, and the built-in vendor sandboxes are not installed here');
    expect(output).toContain('set <VENDOR>_BASE_URL and <VENDOR>_TOKEN');
  }, 120_000);

  it('npm start builds, runs node as npm’s own child (no shell between), and stops on SIGTERM sent to npm, sandboxes and all', async () => {
    const npm = await startGatewayProcess(
      'npm',
      ['start'],
      cleanEnv({
        PORT: '0',
        HOST: '127.0.0.1',
        SANDBOX_BASE_PORT: '0',
        SANDBOX_SCALE: '0.2',
        LOG_LEVEL: 'warn',
      }),
      240_000,
    );
    started.push(npm);
    const npmPid = npm.child.pid as number;
    const [gatewayPid, ...others] = childrenOf(npmPid);
    expect(others).toEqual([]);
    expect(commandOf(gatewayPid as number).slice(-2)).toEqual(['--enable-source-maps', 'dist/src/main.js']);
    const urls = [npm.graphqlUrl, ...[...npm.output().matchAll(/^ {4}\S+ +(http:\/\/127\.0\.0\.1:\d+)/gm)].map((m) => m[1] as string)];
    expect(urls).toHaveLength(5); // the gateway and four sandboxes
    for (const url of urls) expect(await refuses(url)).toBe(false);

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toEqual([0, null]);
    expect(existsSync(`/proc/${gatewayPid}`)).toBe(false);
    for (const url of urls) expect(await refuses(url)).toBe(true);
  }, 300_000);
});
