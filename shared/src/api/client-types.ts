/**
 * What a client sends to a route and what it gets back, typed from the route's own entry in
 * the route table: parameters, query and body as the schemas take them in (`z.input`: before
 * defaults and transforms), the answer as its success schema gives it out (`z.output`). The
 * file type of a multipart body and the type of a streamed answer are the caller's (a browser
 * `File` and `Response`), so this contract depends on no runtime's own types.
 */
import type { z } from 'zod';
import type { RouteSpec } from './route-spec.js';

/** One value of a query string; a list is sent as the key repeated (`?flag=a&flag=b`). */
export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | readonly QueryScalar[];

type SchemaAt<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? S : never;

/** Path parameters, each the text of one segment. */
export type RouteParamsInput<R extends RouteSpec> = z.input<SchemaAt<R, 'params'>>;

/**
 * The query, as its schema takes it in; each value narrowed to what a query string can carry
 * (a coerced number's input is `unknown`, which says nothing to a caller).
 */
export type RouteQueryInput<R extends RouteSpec> = [SchemaAt<R, 'query'>] extends [never]
  ? never
  : QueryOf<z.input<SchemaAt<R, 'query'>>>;

type QueryOf<Input> = { [K in keyof Input]: Exclude<Input[K], undefined> & QueryValue };

/** A multipart body: its text parts (strings, as a form sends them) and its file parts by name. */
export type MultipartInput<Fields, PartName extends string, Upload> = {
  fields: { [K in keyof Fields]: Exclude<Fields[K], undefined> & string };
  files: string extends PartName ? Record<string, Upload> : { [P in PartName]: Upload };
};

type FilePartName<F> = F extends { field: infer Name extends string } ? Name : string;

/** The body: JSON as its schema takes it in, a multipart form, or raw bytes. */
export type RouteBodyInput<R extends RouteSpec, Upload> = R extends { body: infer B }
  ? B extends { kind: 'json'; schema: infer S extends z.ZodType }
    ? z.input<S>
    : B extends { kind: 'multipart'; fields: infer F extends z.ZodType; files: infer P }
      ? MultipartInput<z.input<F>, FilePartName<P>, Upload>
      : B extends { kind: 'raw' }
        ? Upload | string
        : never
  : never;

/** A part of a request: absent when the route has none, optional when every field of it is. */
type Part<K extends string, T> = [T] extends [never]
  ? { [P in K]?: never }
  : Partial<T> extends T
    ? { [P in K]?: T }
    : { [P in K]: T };

/** Everything a client sends to route `R`. */
export type RouteRequest<R extends RouteSpec, Upload> = Part<'params', RouteParamsInput<R>> &
  Part<'query', RouteQueryInput<R>> &
  Part<'body', RouteBodyInput<R, Upload>>;

type ResultOf<Spec, Streamed> = Spec extends { kind: 'json'; schema: infer S extends z.ZodType }
  ? z.output<S>
  : Spec extends { kind: 'empty' }
    ? undefined
    : /** A body the caller reads itself: a stream, a page, a file. */
      Streamed;

/** What a successful call answers: the parsed JSON, nothing (204), or the streamed answer. */
export type RouteResult<R extends RouteSpec, Streamed> = {
  [S in keyof R['responses'] & number]: ResultOf<R['responses'][S], Streamed>;
}[keyof R['responses'] & number];
