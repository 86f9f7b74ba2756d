/** Distru calls one GraphQL request may have in flight at once (the HTTP layer's pool holds 4 sockets). */
export const CONCURRENCY = 4;
