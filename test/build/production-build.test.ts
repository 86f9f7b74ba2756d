import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

// The compiled build as users run it: `npm run build`, and `npm start` (which builds first)
// stopped by SIGTERM sent to the npm process.

const started: GatewayProcess[] = [];

beforeAll(async () => {
  const build = spawn('npm', ['run', 'build'], { cwd: ROOT, env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  build.stdout.on('data', (c: Buffer) => (output += c.toString()));
  build.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output}`);
}, 300_000);

afterAll(async () => {
  for (const p of started) await p.kill();
});

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

  it('npm start builds, runs node as npm’s own child (no shell between), and stops on SIGTERM sent to npm, sandboxes and all', async () => {
    const npm = await startGatewayProcess('npm', ['start'], cleanEnv({ PORT: '0', HOST: '127.0.0.1', SANDBOX_BASE_PORT: '0', SANDBOX_SCALE: '0.2', LOG_LEVEL: 'warn' }), 240_000);
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
