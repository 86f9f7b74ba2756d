import type { GatewayConfig } from '../config.js';

/**
 * Sandbox mode loads the vendor simulators with a dynamic import, here and nowhere else: they and
 * fastify are development dependencies, so the production build never loads them and the
 * production image (Dockerfile) does not contain them. The specifier is relative to this file in
 * src/ and in dist/src/ alike (the build compiles sandbox/ to dist/sandbox/).
 */
export class SandboxUnavailableError extends Error {}

export async function startSandboxMode(config: GatewayConfig, host = '127.0.0.1') {
  const sandbox = await import('../../sandbox/gateway-mode.js').catch((error: unknown) => {
    // A missing sandbox/ or a missing fastify (a production install) both land here.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new SandboxUnavailableError(
      'no vendor is configured, and the built-in vendor sandboxes are not installed here (they are development-only): ' +
        'set <VENDOR>_BASE_URL and <VENDOR>_TOKEN for at least one of ISOLOCITY, PHARUS, DISTRU, HAPIHUB, ' +
        'or run `npm ci && npm start` in a checkout of opsgraph to use the sandboxes',
    );
  });
  return sandbox.startGatewaySandboxes({ ...config.sandbox, host });
}
