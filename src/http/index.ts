export * from './types.js';
export * from './trace.js';
export * from './retry.js';
export * from './rate-limiter.js';
export * from './circuit-breaker.js';
export * from './recent-outcomes.js';
export { assertVendorHttpOptions, DEFAULT_CONNECTIONS, DEFAULT_DEADLINE_MS } from './options.js';
export * from './vendor-http.js';
