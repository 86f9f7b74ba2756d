import type { HttpMethod } from './types.js';

/**
 * Turns a request's concrete path (`/public/v1/orders/6f1c…`) back into the route pattern of the
 * vendor's endpoint table (`GET /public/v1/orders/:id`), for log lines, metric labels and span
 * attributes: a pattern carries no id or value that may be data, and keeps metric labels bounded.
 *
 * Patterns come from each vendor client's endpoint table (`ROUTES`). A path no pattern matches is
 * reduced segment by segment: a segment that could be an id (has a digit, other than a version
 * such as `v1`, or was percent-encoded) becomes `:id`.
 */
export class RoutePatterns {
  private readonly compiled: { method: string; regex: RegExp; route: string }[];

  constructor(routes: readonly string[] = []) {
    this.compiled = routes.map((route) => {
      const [method = '', pattern = ''] = route.split(' ');
      const source = pattern
        .split('/')
        .map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegex(segment)))
        .join('/');
      return { method, regex: new RegExp(`^${source}$`), route };
    });
  }

  /** The route pattern of one call, `METHOD /path/:id`. */
  routeOf(method: HttpMethod, path: string): string {
    for (const candidate of this.compiled) if (candidate.method === method && candidate.regex.test(path)) return candidate.route;
    return `${method} ${path.split('/').map(genericSegment).join('/')}`;
  }
}

const VERSION = /^v\d+$/i;
const DIGIT = /\d/;

function genericSegment(segment: string): string {
  if (segment === '' || VERSION.test(segment)) return segment;
  return DIGIT.test(segment) || segment.includes('%') ? ':id' : segment;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
