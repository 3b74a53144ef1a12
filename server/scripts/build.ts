/**
 * `pnpm --filter @desk/server build [entry…]`: bundles the server (and the workspace packages
 * it imports, which are TypeScript source) into plain ESM in `server/dist/`, leaving npm
 * dependencies as imports. Run with `node server/dist/main.mjs`: no TypeScript loader in the
 * process, so it starts faster and stays smaller than under `tsx`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const serverDir = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = [...Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@desk/')), 'pino-pretty'];
const entries = process.argv.slice(2);

await build({
  entryPoints: entries.length > 0 ? entries : [path.join(serverDir, 'src/main.ts'), path.join(serverDir, 'src/worker.ts')],
  outdir: path.join(serverDir, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
