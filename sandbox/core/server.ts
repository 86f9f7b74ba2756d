import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateWorld, type VendorName, type World } from '../world/index.js';
import { FaultSet, faultSchema, type Fault } from './faults.js';
import { RequestStats } from './stats.js';
import { CallWindow, type StrictRules } from './strict.js';

/** A status, a JSON body and optional headers: what a vendor answers. */
export interface VendorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** How one vendor shapes the errors the framework itself produces. */
export interface VendorErrorShapes {
  unauthorized(): VendorReply;
  /** No such route (or method) on this vendor. */
  routeNotFound(method: string, path: string): VendorReply;
  /** A body that is not JSON, or a request the framework refused before any handler ran. */
  badRequest(message: string): VendorReply;
  /** An injected 429, 500 or 503. */
  injected(status: 429 | 500 | 503): VendorReply;
  /** A handler threw: answer as the vendor would, never with a stack trace. */
  internal(): VendorReply;
}

export interface SandboxCredentials {
  token: string;
  /** Pharus only: the organisation the token belongs to. */
  orgId?: string;
  /** Pharus only: a personal access token bound to `orgId` (`pharus_pat_…`), which needs no X-Org-Id. */
  pat?: string;
  /** Distru only: the user who may open a session and mint API tokens. */
  email?: string;
  password?: string;
}

export interface VendorSandboxSpec<Store> {
  vendor: VendorName;
  defaultPort: number;
  defaultCredentials: SandboxCredentials;
  errors: VendorErrorShapes;
  /** Builds the vendor's mutable records from the shared world. */
  createStore(world: World, credentials: SandboxCredentials): Store;
  /** null when the request may go on, or the vendor's own rejection (401 etc.). */
  authorize(request: FastifyRequest, store: Store, credentials: SandboxCredentials): VendorReply | null;
  /** Paths that need no auth (e.g. Distru's session login). Exact route patterns. */
  publicRoutes?: readonly string[];
  /** Registers the vendor's routes; handlers answer with `reply.code(..).send(..)` or return a body. */
  routes(app: FastifyInstance, store: Store, credentials: SandboxCredentials, mode: { strict: StrictRules | null }): void;
  /** What strict mode enforces for this vendor (none when absent). */
  strict?: StrictRules;
  /**
   * Answers what no route matched, before "route not found": the generic handler of every described
   * operation (sandbox/generic). Built once per started sandbox (it holds that sandbox's records).
   */
  fallback?: () => (request: FastifyRequest) => VendorReply | null;
}

export interface SandboxOptions {
  /** 0 picks a free port (what tests do); default is the vendor's own port (4101-4104). */
  port?: number;
  host?: string;
  /** Added to every vendor request (not to the test hooks). */
  latencyMs?: number;
  /** Share one world between sandboxes; generated from seed/scale when absent. */
  world?: World;
  seed?: number;
  scale?: number;
  credentials?: Partial<SandboxCredentials>;
  /** Enforce the vendor's strict rules (see strict.ts). */
  strict?: boolean;
}

export interface SandboxHandle<Store = unknown> {
  vendor: VendorName;
  url: string;
  port: number;
  credentials: SandboxCredentials;
  world: World;
  store: Store;
  stats: RequestStats;
  faults: FaultSet;
  /** Changes the latency added to every vendor request. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const HOOK_PREFIX = '/__sandbox/';

/** Requests hit by a `loseResponse` fault: handled as usual, then their connection is destroyed unanswered. */
const losing = new WeakSet<FastifyRequest>();

function send(reply: FastifyReply, r: VendorReply): FastifyReply {
  if (r.headers) reply.headers(r.headers);
  return reply.code(r.status).type('application/json').send(JSON.stringify(r.body));
}

/** Starts one vendor's sandbox on real loopback HTTP. */
export async function startVendorSandbox<Store>(spec: VendorSandboxSpec<Store>, options: SandboxOptions = {}): Promise<SandboxHandle<Store>> {
  const world = options.world ?? generateWorld({ seed: options.seed ?? 42, scale: options.scale ?? 1 });
  const credentials: SandboxCredentials = { ...spec.defaultCredentials, ...stripUndefined(options.credentials ?? {}) };
  const store = spec.createStore(world, credentials);
  const stats = new RequestStats();
  const faults = new FaultSet();
  let latencyMs = options.latencyMs ?? 0;
  const publicRoutes = new Set(spec.publicRoutes ?? []);
  const strict = options.strict ? (spec.strict ?? null) : null;
  const window = strict?.rate ? new CallWindow(strict.rate.maxCalls, strict.rate.windowMs) : null;

  const app = Fastify({
    logger: false,
    bodyLimit: 10 * 1024 * 1024,
    // Hanging requests (an injected fault) must not keep close() waiting.
    forceCloseConnections: true,
    return503OnClosing: false,
    // Distru's `page[number]` and `product_ids[]` keys arrive as they were sent: handlers read them.
    routerOptions: { ignoreTrailingSlash: true },
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith(HOOK_PREFIX)) return;
    const route = request.routeOptions.url ?? '(unmatched)';
    const at = Date.now();
    // The query too: tests read which page (`page[number]`) and which increment (`updated_datetime`) a call asked for.
    stats.record({ at, method: request.method, route, path, query: request.url.split('?')[1] ?? '' });
    if (window && strict?.rate && !window.admit(at)) {
      reply.header('retry-after', String(strict.rate.retryAfterSeconds));
      return send(reply, spec.errors.injected(429));
    }

    const hits: Fault[] = faults.hits(request.method, path);
    const delay = latencyMs + hits.reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
    if (delay > 0) await sleep(delay);
    if (hits.some((f) => f.hang)) {
      // Never answer; the connection is destroyed when the client gives up or the sandbox closes.
      await new Promise<never>(() => undefined);
    }
    const withStatus = hits.find((f) => f.status !== undefined);
    if (withStatus?.status !== undefined) {
      const r = spec.errors.injected(withStatus.status);
      if (withStatus.retryAfter !== undefined) reply.header('retry-after', String(withStatus.retryAfter));
      return send(reply, r);
    }
    if (hits.some((f) => f.loseResponse)) losing.add(request);
    if (hits.some((f) => f.malformed)) {
      return reply.code(200).type('application/json').send('{"data": [{"id": 1, "name": "trunc');
    }
    if (request.routeOptions.url !== undefined && publicRoutes.has(request.routeOptions.url)) return;
    const rejected = spec.authorize(request, store, credentials);
    if (rejected) return send(reply, rejected);
  });

  const fallback = spec.fallback?.();
  // The answer is ready (the handler has applied the write): drop the connection instead of sending it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!losing.has(request)) return payload;
    request.raw.socket.destroy();
    reply.hijack();
    return null;
  });

  app.setNotFoundHandler((request, reply) => {
    const answer = fallback?.(request) ?? null;
    send(reply, answer ?? spec.errors.routeNotFound(request.method, request.url.split('?')[0] ?? '/'));
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, _request, reply) => {
    // Errors Fastify raises itself (bad JSON, empty JSON body, unsupported media type) are the
    // client's fault: answer 400 in the vendor's shape. Anything else is ours: a 500 without detail.
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(error.message ?? '') ? 'Request body is not valid JSON' : (error.message ?? 'Bad request');
      return send(reply, spec.errors.badRequest(message));
    }
    return send(reply, spec.errors.internal());
  });

  // Test hooks: no auth, no faults, not counted.
  app.get('/__sandbox/stats', async () => stats.snapshot());
  app.delete('/__sandbox/stats', async () => {
    stats.reset();
    return stats.snapshot();
  });
  app.get('/__sandbox/requests', async () => ({ requests: stats.requests() }));
  app.get('/__sandbox/faults', async () => ({ faults: faults.list() }));
  app.post('/__sandbox/faults', async (request, reply) => {
    const parsed = faultSchema.safeParse(request.body);
    if (!parsed.success) return send(reply, spec.errors.badRequest(`Invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`));
    faults.add(parsed.data);
    return reply.code(201).send({ faults: faults.list() });
  });
  app.delete('/__sandbox/faults', async () => {
    faults.clear();
    return { faults: [] };
  });
  app.get('/__sandbox/info', async () => ({
    vendor: spec.vendor,
    seed: world.options.seed,
    scale: world.options.scale,
    latencyMs,
    credentials,
  }));

  spec.routes(app, store, credentials, { strict });

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? spec.defaultPort, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? spec.defaultPort);
  return {
    vendor: spec.vendor,
    url: `http://${host}:${port}`,
    port,
    credentials,
    world,
    store,
    stats,
    faults,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () => app.close(),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Reads a bearer token from an Authorization header, or null. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(.+)$/i.exec(value.trim());
  return match?.[1] ?? null;
}
