/** Calls to ISOlocity one GraphQL request may have in flight at once. */
export const CONCURRENCY = 4;
