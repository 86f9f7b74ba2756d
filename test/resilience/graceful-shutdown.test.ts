import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { until } from './harness.js';

// `npm start` as a real process: on SIGTERM it stops accepting connections at once, lets the
// request in flight finish (200, complete data), then exits 0. The vendors are sandboxes this test
// owns on free ports (so that a slow vendor call can be arranged), given to the gateway through
// the same environment variables a deployment sets.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUERY = 'query One($id: ID!) { order(id: $id) { id number lines { quantity } } }';
/** Distru's answer time while SIGTERM arrives: long enough that a loaded machine still sees the port refused before it. */
const SLOW_MS = 4_000;
/** Starting the gateway under tsx compiles it first: on a busy 2-core machine that can take a minute. */
const START_MS = 120_000;

let sandboxes: Sandboxes;
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'opsgraph-shutdown-'));

beforeAll(async () => {
  sandboxes = await startSandboxes({ scale: 0.3, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandboxes?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment a deployment would set: every vendor's base URL and token, nothing inherited. */
function gatewayEnv(port: number): NodeJS.ProcessEnv {
  // AUTH=none: this test is about shutdown, and real-vendor mode otherwise requires client credentials.
  // SYNC=off and no background stock refresh: the request in flight must be the one waiting on
  // Distru (with the sync on, the order comes from the caught-up store and may need no call at all).
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', AUTH: 'none', OPSGRAPH_DATA_DIR: dataDir, SYNC: 'off', LIVE_STOCK_REFRESH_WINDOW_MS: '0' };
  for (const [vendor, connection] of Object.entries(sandboxConnections(sandboxes))) {
    env[`${vendor}_BASE_URL`] = connection.baseUrl;
    env[`${vendor}_TOKEN`] = connection.token;
    if (connection.orgId) env[`${vendor}_ORG_ID`] = connection.orgId;
  }
  return env;
}

/** One POST on its own connection (no keep-alive pool), so it cannot ride on an open socket. */
function post(port: number, body: unknown): Promise<{ status: number; json: { data?: { order: { id: string } | null }; errors?: unknown[] } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as never }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** 'refused' when nothing listens on the port any more, 'accepted' while the gateway takes connections. */
function tryConnect(port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new connections, finishes the request in flight with 200, and exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: gatewayEnv(port), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await until(() => output.includes('opsgraph ready:') || child?.exitCode !== null, START_MS, 'the gateway to start');
    expect(output).toContain(`opsgraph ready: http://127.0.0.1:${port}/graphql (real vendors)`);

    const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(sandboxes.world, 'tenLines'));
    const warm = await post(port, { query: QUERY, variables: { id } });
    expect(warm.status).toBe(200);
    expect(warm.json.errors).toBeUndefined();

    // Every Distru call now takes SLOW_MS: the next request is in flight inside the gateway when
    // SIGTERM arrives.
    const distru = sandboxes.handles.distru!;
    distru.stats.reset();
    distru.setLatency(SLOW_MS);
    let slowDone = false;
    const slow = post(port, { query: QUERY, variables: { id } }).finally(() => (slowDone = true));
    await until(() => distru.stats.requests().some((r) => r.route === '/public/v1/orders/:id'), 10_000, 'the slow request to reach Distru');
    child.kill('SIGTERM');

    // New connections are refused while the request in flight is still being answered.
    await until(async () => (await tryConnect(port)) === 'refused', SLOW_MS, 'new connections to be refused');
    expect(slowDone).toBe(false);

    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.json.errors).toBeUndefined();
    expect(answered.json.data?.order?.id).toBe(id);
    expect(await exited).toEqual([0, null]);
  }, START_MS + 60_000);
});
