/**
 * `pnpm --filter @desk/server build [entry…]`: bundles the server (and the workspace packages
 * it imports, which are TypeScript source) into plain ESM in `server/dist/`, leaving npm
 * dependencies as imports. Run with `node server/dist/main.mjs`: no TypeScript loader in the
 * process, so it starts faster and stays smaller than under `tsx`.
 *
 * Only the production entries are built (the API, `main.ts`, and the worker): the built-in
 * provider sandboxes and the demo data live in the sandboxes package, which the server never
 * imports, and the build fails should any of it end up in a bundle.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const serverDir = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const external = [...Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@desk/')), 'pino-pretty'];
const entries = process.argv.slice(2);

const result = await build({
  entryPoints:
    entries.length > 0 ? entries : [path.join(serverDir, 'src/main.ts'), path.join(serverDir, 'src/worker.ts')],
  outdir: path.join(serverDir, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
  metafile: true,
});

const sandboxInputs = Object.keys(result.metafile.inputs).filter(
  (input) => /(^|\/)sandboxes\//.test(input) || input.includes('@desk/sandboxes'),
);
if (sandboxInputs.length > 0) {
  throw new Error(
    `the production bundle must not contain sandbox or demo code, but it has: ${sandboxInputs.join(', ')}`,
  );
}
