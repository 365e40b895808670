import { ApiError, errorResponse, type ApiAnswer } from './errors';
import { runRoute, type ApiRequest, type ApiRoute } from './pipeline';

/** Where the API lives under the origin. */
export const API_PREFIX = '/api/v1';

type Compiled = { route: ApiRoute; segments: (string | { param: string })[] };

// Finds the route of a request by method and path, and answers it; an unknown path is a JSON 404, a known path with
// another method a 405 with Allow.
export function createRouter(table: readonly ApiRoute[]): (req: ApiRequest) => Promise<ApiAnswer> {
  const compiled: Compiled[] = table.map((route) => ({
    route,
    segments: route.def.path
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\{\w+\}$/.test(s) ? { param: s.slice(1, -1) } : s)),
  }));
  return async (req) => {
    const q = req.url.indexOf('?');
    const path = (q < 0 ? req.url : req.url.slice(0, q)).slice(API_PREFIX.length);
    const parts = path.split('/').filter(Boolean);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const allowed: string[] = [];
    for (const c of compiled) {
      const params = match(c.segments, parts);
      if (!params) continue;
      if (c.route.def.method === method) return runRoute(c.route, req, params);
      allowed.push(c.route.def.method);
    }
    if (allowed.length === 0) {
      return errorResponse(new ApiError('not_found', `There is no ${API_PREFIX}${path}; the operations are listed in ${API_PREFIX}/openapi.json.`));
    }
    const allow = allowed.join(', ');
    if (method === 'OPTIONS') return { status: 204, headers: { allow }, body: null };
    return errorResponse(new ApiError('method_not_allowed', `${API_PREFIX}${path} takes ${allow}, not ${req.method}.`, undefined, { allow }));
  };
}

function match(segments: Compiled['segments'], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (typeof s === 'string') {
      if (s !== parts[i]) return null;
    } else {
      try {
        params[s.param] = decodeURIComponent(parts[i]!);
      } catch {
        return null;
      }
    }
  }
  return params;
}
