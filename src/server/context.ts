import type { YogaInitialContext } from 'graphql-yoga';
import type { Crosswalk } from '../catalog/crosswalk.js';
import type { SourceScope, StaleNote } from '../cache/scope.js';
import type { UpstreamTrace } from '../http/trace.js';
import type { ClientIdentity } from './auth/identity.js';
import type { RequestLoaders } from './loaders.js';
import type { GatewayRuntime } from './runtime.js';

/** Everything a resolver may use while answering one GraphQL request. */
export interface GatewayRequestState {
  loaders: RequestLoaders;
  crosswalk: Crosswalk;
  /** The HTTP scope (trace, deadline, abort) and stale-note sink handed to every vendor source. */
  scope: SourceScope;
  trace: UpstreamTrace;
  /** Answers served from an older copy because a vendor failed; reported in `extensions.stale`. */
  stale: StaleNote[];
  runtime: GatewayRuntime;
  /** Who sent the request (src/server/auth/): its name goes to logs, metrics and the vendor scheduler. */
  client: ClientIdentity;
  /** The id of the request in server-side logs and the `X-Request-Id` response header. */
  requestId: string;
}

/** What resolvers receive: Yoga's request context plus ours. */
export type GatewayContext = YogaInitialContext & GatewayRequestState;
