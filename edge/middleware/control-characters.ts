/**
 * Refuses a URL whose path segments or query parameters hold a control character (see domain/control-characters.ts),
 * with a 400 naming the path parameter (`id`) or query parameter (`vehicle_id`), before any route reads it.
 * JSON bodies are checked where they are validated (parseInput, the fix checks).
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../app-env.ts';
import { controlCharacterError, controlCharacterIn, type ControlCharacterProblem } from '../domain/control-characters.ts';

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The route's name for path segment `index` (`:id` → `id`), else `path`. */
function segmentName(patterns: string[], index: number): string {
  for (const pattern of patterns) {
    const segment = pattern.split('/')[index];
    if (segment?.startsWith(':')) return segment.slice(1).replace(/\{.*$/, '').replace(/\?$/, '');
  }
  return 'path';
}

function findInUrl(url: URL, patterns: () => string[]): ControlCharacterProblem | null {
  const segments = url.pathname.split('/');
  for (let i = 0; i < segments.length; i++) {
    const problem = controlCharacterIn(decode(segments[i]), '');
    if (problem) return { path: segmentName(patterns(), i), message: problem.message };
  }
  for (const [name, value] of url.searchParams) {
    const inName = controlCharacterIn(name, name);
    if (inName) return { path: name, message: `the query parameter name ${inName.message}` };
    const inValue = controlCharacterIn(value, name);
    if (inValue) return inValue;
  }
  return null;
}

export function rejectControlCharactersInUrl(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    // Most URLs hold no escapes at all; only those that do can decode to a control character.
    if (url.pathname.includes('%') || url.search.length > 0) {
      const problem = findInUrl(url, () => matchedRoutes(c).filter((r) => r.method !== 'ALL').map((r) => r.path));
      if (problem) throw controlCharacterError(problem);
    }
    await next();
  };
}
