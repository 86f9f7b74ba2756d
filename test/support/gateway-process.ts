import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * opsgraph as a real process, started the way a user starts it (`npm start`, `node dist/…`, or
 * the TypeScript entry through tsx), with only the environment the test gives it. It waits for the
 * "opsgraph ready: <url>" line and cleans up after itself: `stop()` kills whatever is still running.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  /** The GraphQL endpoint from the ready line, e.g. http://127.0.0.1:41234/graphql. */
  graphqlUrl: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with [exit code, signal] when the process exits. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** SIGKILL if it is still running (for afterAll). */
  kill(): Promise<void>;
}

/** The environment of a fresh shell: no vendor settings inherited from the test runner. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

export async function startGatewayProcess(command: string, args: string[], env: NodeJS.ProcessEnv, readyWithinMs = 90_000): Promise<GatewayProcess> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };

  const ready = /opsgraph ready: (http:\/\/\S+\/graphql)/;
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "opsgraph ready" line within ${readyWithinMs} ms; output:\n${output}`)), readyWithinMs);
    const check = () => {
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before it was ready; output:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await kill();
    throw error;
  });
  return { child, graphqlUrl, output: () => output, exited, kill };
}
