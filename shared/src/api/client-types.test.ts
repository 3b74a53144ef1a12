/**
 * The client's request and result types follow each route's own entry. These are checked by the
 * type checker (`pnpm typecheck`); at run time they only name what is checked.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ApplicationDetail } from '../applications.js';
import type { RouteRequest, RouteResult } from './client-types.js';
import type { Routes } from './routes.js';

type Upload = { upload: true };
type Streamed = { streamed: true };
type RequestTo<N extends keyof Routes> = RouteRequest<Routes[N], Upload>;
type ResultOf<N extends keyof Routes> = RouteResult<Routes[N], Streamed>;

describe('client types of the route table', () => {
  it('When a route has path parameters, then a request must fill each in, and may send no body', () => {
    expectTypeOf<RequestTo<'claimApplication'>>().toEqualTypeOf<
      { params: { id: string } } & { query?: never } & { body?: never }
    >();
  });

  it('When a route reads a query, then its values are what its schema takes in, and every field may be left out', () => {
    type Query = NonNullable<RequestTo<'listApplications'>['query']>;
    expectTypeOf<{ stage: ['intake', 'rfi']; limit: 50 }>().toExtend<Query>();
    expectTypeOf<{ stage: 'nowhere' }>().not.toExtend<Query>();
    expectTypeOf<{ limit: { pages: 2 } }>().not.toExtend<Query>();
    expectTypeOf<Record<never, never>>().toExtend<RequestTo<'listApplications'>>();
  });

  it('When a route takes a JSON body, then a request must send it as its schema takes it in', () => {
    expectTypeOf<RequestTo<'addNote'>['body']>().toEqualTypeOf<{ body: string }>();
  });

  it('When a route takes a multipart body, then its text parts are strings and its file parts are uploads by name', () => {
    type Body = RequestTo<'uploadDocument'>['body'];
    expectTypeOf<Body['files']>().toEqualTypeOf<{ file: Upload }>();
    expectTypeOf<{ type: 'PASSPORT'; number: '123' }>().toExtend<Body['fields']>();
    expectTypeOf<RequestTo<'answerRfi'>['body']['files']>().toEqualTypeOf<Record<string, Upload>>();
  });

  it('When a route answers JSON, nothing or content, then the result is the parsed body, undefined or the stream', () => {
    expectTypeOf<ResultOf<'getApplication'>>().toEqualTypeOf<ApplicationDetail>();
    expectTypeOf<ResultOf<'deleteSavedFilter'>>().toEqualTypeOf<undefined>();
    expectTypeOf<ResultOf<'exportConsents'>>().toEqualTypeOf<Streamed>();
  });
});
