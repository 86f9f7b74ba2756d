/** Names shared by the description builder and the generator. */

export function singular(word: string): string {
  if (/ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|tus|is)$/.test(word)) return word;
  if (/(statuses|sses)$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}

export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

export function camel(text: string): string {
  const p = pascal(text);
  return p[0]!.toLowerCase() + p.slice(1);
}

/** Path words that name a view of a collection, not a record kind. */
const VIEW_WORDS = new Set([
  'me',
  'current',
  'mine',
  'by-token',
  'bulk',
  'bulk-import',
  'in-use',
  'complete',
  'reactivate',
  'resend',
  'pdf',
  'accept',
  'decline',
  'leave',
  'find-or-create',
  'summary',
]);

/**
 * The record kind a path serves: its literal segments, the last one singular, views dropped:
 * `/purchase-orders/{id}/items` and `/purchase-order-items/{id}` are both PurchaseOrderItem.
 */
export function recordKindOfPath(path: string): string {
  const literals = path.split('/').filter((s) => s !== '' && !s.startsWith('{') && !VIEW_WORDS.has(s));
  const words = literals.map((s, i) => (i < literals.length - 1 ? singular(s) : singular(s)));
  return pascal(words.join('-'));
}
