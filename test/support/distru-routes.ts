/** The Distru path each synced Distru relation reads (src/sync/relations/distru.ts), for tests reading the sandbox's request log. */
export const DISTRU_ROUTE_OF: Record<string, string> = {
  locations: '/public/v1/locations',
  companies: '/public/v1/companies',
  skus: '/public/v1/products',
  batches: '/public/v1/batches',
  orders: '/public/v1/orders',
  invoices: '/public/v1/invoices',
  purchases: '/public/v1/purchases',
};
