/**
 * Removes what looks like a credential from text a vendor wrote (its refusal message may quote our
 * request, headers included) and cuts it to `max` characters. Configured secrets (vendor tokens,
 * base URLs) are removed verbatim as well.
 */
const PATTERNS: readonly [RegExp, string][] = [
  // A header line or JSON member: "authorization": "Bearer x", Authorization: Basic x, x-api-key=…, "token":"…"
  [/((?:proxy-)?authorization|x-api-key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|token|secret|password|client[_-]?secret|cookie|set-cookie|x-auth[\w-]*)(["']?\s*[:=]\s*)(["']?)(?:(?:bearer|basic|token|digest)\s+)?(?!\[redacted\])[^\s"',;&}\]]+/gi, '$1$2$3[redacted]'],
  // A bare scheme + credential anywhere.
  [/\b(Bearer|Basic|Token|Digest)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'],
  // A JWT anywhere.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]'],
];

export const MAX_VENDOR_TEXT = 500;

export class Redactor {
  private readonly secrets: readonly string[];

  /** `secrets`: literal strings never to show (short ones are ignored: they would eat ordinary words). */
  constructor(secrets: readonly string[] = []) {
    this.secrets = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  }

  text(value: string, max = MAX_VENDOR_TEXT): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out.length > max ? `${out.slice(0, max - 1)}…` : out;
  }

  /** Every string inside a JSON-like value (extensions), to a bounded depth. */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.slice(0, 200).map((v) => this.deep(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.deep(v, depth + 1)]));
  }
}
