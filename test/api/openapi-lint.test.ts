/**
 * The OpenAPI document as the desk serves it: Redocly's linter (its `recommended` rules, with
 * `test/redocly.yaml`) finds no error and no warning in it, and it describes every route of the
 * route table — its operationId, every answer it gives (success and error statuses, error
 * bodies), multipart uploads, streamed downloads and the providers' webhooks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorStatusesOf, type RouteSpec, routeNames, routes } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};
type LintProblem = { ruleId: string; severity: string; message: string; location: { pointer?: string }[] };

const redoclyCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin',
  'cli.js',
);
const redoclyConfig = path.resolve(import.meta.dirname, '../redocly.yaml');

/** Redocly's findings in `document`, one line each ("error struct: … at #/paths/…"). */
async function lint(document: unknown): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'desk-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const run = await promisify(execFile)(
      process.execPath,
      [redoclyCli, 'lint', file, '--config', redoclyConfig, '--format', 'json', '--max-problems', '1000'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
      // Errors make the linter exit 1: its report is on stdout either way.
    ).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    let report: { problems: LintProblem[] };
    try {
      report = JSON.parse(run.stdout) as { problems: LintProblem[] };
    } catch {
      throw new Error(`the linter gave no report:\n${run.stdout}\n${run.stderr}`);
    }
    return report.problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer ?? '').join(', ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openApiPathOf = (spec: RouteSpec) => spec.path.replace(/:([A-Za-z]+)/g, '{$1}');

describe.each(databaseKinds)('the OpenAPI document on %s database', (kind) => {
  let desk: TestDesk;
  let document: Document;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    const res = await desk.anonymous.get<Document>('/api/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it("When the served document is linted with Redocly's recommended rules, then it has no errors and no warnings", async () => {
    expect(await lint(document)).toEqual([]);
  });

  it('When a document breaks the OpenAPI rules, then the linter names the problem (so an empty report means something)', async () => {
    const { info: _info, ...withoutInfo } = document as Document & { info: unknown };
    expect(await lint(withoutInfo)).toEqual([expect.stringMatching(/^error struct: .*`info`/)]);
  });

  it('When the document is read, then every route of the table is one operation, named by its operationId', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.map((o) => o.operationId).sort()).toEqual([...routeNames].sort());
    for (const name of routeNames) {
      const spec: RouteSpec = routes[name];
      expect(document.paths[openApiPathOf(spec)]?.[spec.method.toLowerCase()]?.operationId, name).toBe(name);
    }
  });

  it('When an operation is read, then it lists exactly the statuses its route answers, each error with the error body', () => {
    const errorBody = document.components.schemas.Error;
    expect(errorBody?.required).toEqual(expect.arrayContaining(['message', 'code']));
    expect(Object.keys(errorBody?.properties ?? {})).toEqual(expect.arrayContaining(['message', 'code', 'errors']));
    for (const name of routeNames) {
      const spec: RouteSpec = routes[name];
      const operation = document.paths[openApiPathOf(spec)]?.[spec.method.toLowerCase()];
      const declared = [...Object.keys(spec.responses), ...errorStatusesOf(spec).map(String)].sort();
      expect(Object.keys(operation?.responses ?? {}).sort(), name).toEqual(declared);
      for (const status of errorStatusesOf(spec)) {
        expect(
          operation?.responses[String(status)]?.content?.['application/json']?.schema,
          `${name} ${status}`,
        ).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('When uploads, streamed downloads and webhooks are read, then each has its own body and media types', () => {
    for (const name of routeNames) {
      const spec: RouteSpec = routes[name];
      const operation = document.paths[openApiPathOf(spec)]?.[spec.method.toLowerCase()];
      if (spec.body?.kind === 'multipart') {
        const schema = operation?.requestBody?.content['multipart/form-data']?.schema;
        const fileField = spec.body.files.field;
        expect(
          fileField === null
            ? schema?.additionalProperties
            : (schema?.properties as Record<string, unknown> | undefined)?.[fileField],
          name,
        ).toMatchObject({ type: 'string', contentMediaType: 'application/octet-stream' });
      }
      for (const [status, response] of Object.entries(spec.responses)) {
        if (response.kind !== 'content') continue;
        expect(Object.keys(operation?.responses[status]?.content ?? {}).sort(), name).toEqual(
          [...response.mediaTypes].sort(),
        );
      }
    }
    const webhook = routes.receiveWebhook;
    const receive = document.paths[openApiPathOf(webhook)]?.post;
    expect(receive?.requestBody?.required).toBe(true);
    const headers = (receive?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    // What the sandboxes sign with (each provider's own header names).
    expect(headers).toEqual(
      expect.arrayContaining(['x-jiko-signature', 'x-fin-signature', 'x-webhook-signature', 'x-webhook-id']),
    );
    const exports = document.paths[openApiPathOf(routes.exportStatusHistory)]?.get;
    expect(exports?.responses['200']?.content?.['text/csv']?.schema).toEqual({ type: 'string' });
  });
});
