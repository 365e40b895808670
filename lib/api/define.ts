import type { z } from 'zod';
import type { Permission } from '@/lib/auth/permissions';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type SuccessStatus = 200 | 201 | 202 | 204;

/** One operation of the API: the single source that both the handler's validation and the OpenAPI document read. */
export type RouteDef<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  H extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  P extends Permission | null = Permission | null,
> = {
  method: HttpMethod;
  /** Under /api/v1, with `{name}` path parameters, e.g. `/endpoints/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** What the key's role must allow; null for a public route (no key needed) or a platform route. */
  permission: P;
  /** A route of the platform API (/platform/*): the platform key, no tenant header. */
  platform?: true;
  /** JSON body; a missing or empty body is validated as `{}`. */
  body?: B;
  /** How error.details paths into the body start: "body" (default: body.url), or "" to start at its root (events.3.data). */
  bodyPathPrefix?: '' | 'body';
  /** Largest raw request body read (default 1 MiB); a larger one is refused with 413 before it is read. */
  maxBodyBytes?: number;
  /** Query string, as strings (use z.coerce for numbers). */
  query?: Q;
  /** Request headers the route reads, by their canonical names. */
  headers?: H;
  response: {
    status: SuccessStatus;
    description: string;
    schema?: R;
    /** A second success status with the same body (an upsert: 201 created, 200 updated); the handler picks it with setStatus. */
    alternate?: { status: SuccessStatus; description: string };
  };
  /** Statuses beyond those the shape implies (401/403/429 with a permission, 400/413/422 with a body, 404 with a path id). */
  extraStatuses?: { status: number; description: string }[];
};

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : void;

export type RouteInput<D> =
  D extends RouteDef<infer B, infer Q, infer H, infer _R, infer _P> ? { body: Out<B>; query: Out<Q>; headers: Out<H> } : never;
export type RouteOutput<D> = D extends RouteDef<infer _B, infer _Q, infer _H, infer R, infer _P> ? In<R> : never;

// Declares a route, keeping its schemas' types for the handler.
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  P extends Permission | null = Permission,
>(def: RouteDef<B, Q, H, R, P>): RouteDef<B, Q, H, R, P> {
  return def;
}

// Declares a route of the platform API (tag Platform, the platform key, no permission string of a tenant's role).
export function platformRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(def: Omit<RouteDef<B, Q, H, R, null>, 'tag' | 'permission' | 'platform'>): RouteDef<B, Q, H, R, null> {
  return { ...def, tag: 'Platform', permission: null, platform: true };
}
