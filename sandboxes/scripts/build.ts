/**
 * `pnpm --filter @desk/sandboxes build`: bundles the demo entry (`src/main.ts`: the desk with the
 * built-in sandboxes and demo data) and the workspace packages it imports into plain ESM at
 * `dist/main.mjs`, so `pnpm start` runs it with plain `node`, no TypeScript loader: it starts
 * faster and holds far less memory.
 *
 * npm dependencies stay outside the bundle, each imported by the absolute path of the file
 * this machine's install resolved it to (from the package that imports it, by the same
 * conditions Node uses): they are found wherever pnpm keeps them, and nothing is copied or
 * declared twice. The bundle is therefore a local artifact, rebuilt by every `pnpm start`;
 * deployments use the server's own build (`pnpm build`), which holds no sandbox code.
 */
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const sandboxesDir = path.resolve(import.meta.dirname, '..');
/**
 * `--outfile dist/<name>.mjs` builds elsewhere in `dist/` (the tests build their own copy, so a
 * stale bundle is never run); the bundle must stay two folders below the repository, where the
 * desk finds its root.
 */
const outfileArg = process.argv.indexOf('--outfile');
const outfile = path.resolve(
  sandboxesDir,
  outfileArg >= 0 ? (process.argv[outfileArg + 1] ?? 'dist/main.mjs') : 'dist/main.mjs',
);
if (path.dirname(outfile) !== path.join(sandboxesDir, 'dist')) {
  throw new Error(`the bundle must be written to ${path.join(sandboxesDir, 'dist')}/, not ${outfile}`);
}

/** Bare imports outside the workspace become imports of the resolved file. */
const resolvedExternals: Plugin = {
  name: 'resolved-externals',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@desk/') || args.path.startsWith('node:') || args.pluginData === 'resolving') {
        return undefined;
      }
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // A Node built-in imported without the `node:` prefix stays as written.
      if (resolved.external && !path.isAbsolute(resolved.path)) return { path: args.path, external: true };
      return { path: resolved.path, external: true };
    });
  },
};

await build({
  entryPoints: [path.join(sandboxesDir, 'src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  plugins: [resolvedExternals],
  logLevel: 'warning',
});
