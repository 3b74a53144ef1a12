/**
 * A build step: every text asset of the bundle is written beside itself compressed with
 * brotli (`.br`) and gzip (`.gz`) at their highest levels, once, so the desk serves the
 * smallest encoding a browser accepts without compressing on each request.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const compressible = /\.(?:js|mjs|css|html|svg|json|txt|map)$/;
/**
 * A copy is kept only when it is smaller by more than the `Content-Encoding` and `Vary`
 * headers it costs, so even a small chunk of a few hundred bytes goes compressed.
 */
const minSaving = 64;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

export async function precompressDirectory(
  dir: string,
): Promise<{ file: string; bytes: number; br: number | null; gz: number | null }[]> {
  const files = (await filesUnder(dir)).filter((file) => compressible.test(file));
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }),
        gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      const worthIt = (copy: Buffer) => copy.length + minSaving <= bytes.length;
      await Promise.all([
        worthIt(br) ? writeFile(`${file}.br`, br) : undefined,
        worthIt(gz) ? writeFile(`${file}.gz`, gz) : undefined,
      ]);
      return { file, bytes: bytes.length, br: worthIt(br) ? br.length : null, gz: worthIt(gz) ? gz.length : null };
    }),
  );
}

export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'desk-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDirectory(outDir);
    },
  };
}
