/**
 * Finds the route a request reaches, exactly: segments compare byte for byte and case-
 * sensitively, a trailing slash or an empty segment is a different path, and percent-encoding
 * is decoded only inside parameters. Dot segments are never resolved. The server's dispatcher
 * and its permission gate both use this one answer, so what the gate checked is what runs.
 */
import type { HttpMethod, RouteSpec } from './route-spec.js';

export type RouteMatch<Name extends string> =
  | { kind: 'route'; name: Name; spec: RouteSpec; params: Record<string, string> }
  /** The path exists, not for this method. */
  | { kind: 'method'; allowed: HttpMethod[] };

type Compiled<Name extends string> = { name: Name; spec: RouteSpec; parts: string[]; literals: number };

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export type RouteMatcher<Name extends string> = (method: string, rawPath: string) => RouteMatch<Name> | null;

export function createRouteMatcher<Name extends string>(table: Readonly<Record<Name, RouteSpec>>): RouteMatcher<Name> {
  const compiled: Compiled<Name>[] = (Object.keys(table) as Name[]).map((name) => {
    const spec = table[name];
    const parts = spec.path.split('/').slice(1);
    return { name, spec, parts, literals: parts.filter((p) => !p.startsWith(':')).length };
  });

  /** Parameters of `route` read from `parts`, or null when the path is not this route's. */
  const paramsOf = (route: Compiled<Name>, parts: string[]): Record<string, string> | null => {
    if (route.parts.length !== parts.length) return null;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let i = 0; i < parts.length; i++) {
      const expected = route.parts[i] as string;
      const given = parts[i] as string;
      if (expected.startsWith(':')) {
        const value = given === '' ? null : decodeSegment(given);
        if (value === null) return null;
        params[expected.slice(1)] = value;
      } else if (expected !== given) {
        return null;
      }
    }
    return params;
  };

  return (method, rawPath) => {
    if (!rawPath.startsWith('/')) return null;
    const wanted = method === 'HEAD' ? 'GET' : method;
    const parts = rawPath.split('/').slice(1);
    let best: { route: Compiled<Name>; params: Record<string, string> } | null = null;
    const allowed = new Set<HttpMethod>();
    for (const route of compiled) {
      const params = paramsOf(route, parts);
      if (!params) continue;
      if (route.spec.method !== wanted) {
        allowed.add(route.spec.method);
        continue;
      }
      // Literal segments win over parameters: /api/applications/stats is not /api/applications/:id.
      if (!best || route.literals > best.route.literals) best = { route, params };
    }
    if (best) return { kind: 'route', name: best.route.name, spec: best.route.spec, params: { ...best.params } };
    return allowed.size > 0 ? { kind: 'method', allowed: [...allowed].sort() } : null;
  };
}

/** A route's path with its parameters filled in (percent-encoded), for clients and tests. */
export function pathOf(spec: Pick<RouteSpec, 'path'>, params: Record<string, string> = {}): string {
  return spec.path
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part;
      const value = params[part.slice(1)];
      if (value === undefined) throw new Error(`${spec.path}: parameter ${part} is missing`);
      return encodeURIComponent(value);
    })
    .join('/');
}
