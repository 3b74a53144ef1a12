/**
 * The types that tie a handler to its entry in the route table: what it receives (parsed
 * params, query and body, typed by the route's own schemas) and what it may answer (one of the
 * route's declared statuses with a body of that status's schema). `RouteHandlers` has exactly
 * one handler per route, so a route without a handler, or a handler without a route, does not
 * compile.
 */

import type { RouteName, RouteSpec, Routes } from '@desk/shared';
import type { Request, Response } from 'express';
import type { z } from 'zod';

/** A file part of a multipart request. */
export type UploadedFile = { field: string; originalName: string; contentType: string; bytes: Buffer };

type Parsed<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType }
  ? z.output<S>
  : Record<string, never>;

type BodyOf<R> = R extends { body: infer B }
  ? B extends { kind: 'json'; schema: infer S extends z.ZodType }
    ? z.output<S>
    : B extends { kind: 'multipart'; fields: infer F extends z.ZodType }
      ? z.output<F>
      : B extends { kind: 'raw' }
        ? Buffer
        : never
  : undefined;

export type RouteInput<R extends RouteSpec> = {
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  headers: Parsed<R, 'headers'>;
  body: BodyOf<R>;
  /** The file parts of a multipart body (empty otherwise). */
  files: UploadedFile[];
  req: Request;
  res: Response;
};

type ReplyFor<S extends number, Spec> = Spec extends { kind: 'json'; schema: infer Z extends z.ZodType }
  ? { status: S; body: z.input<Z> }
  : Spec extends { kind: 'empty' }
    ? { status: S }
    : /** The handler wrote the answer itself (a stream, a page, a file). */
      { status: S; sent: true };

export type RouteReply<R extends RouteSpec> = {
  [S in keyof R['responses'] & number]: ReplyFor<S, R['responses'][S]>;
}[keyof R['responses'] & number];

export type RouteHandler<R extends RouteSpec> = (input: RouteInput<R>) => Promise<RouteReply<R>>;

export type RouteHandlers = { [N in RouteName]: RouteHandler<Routes[N]> };
