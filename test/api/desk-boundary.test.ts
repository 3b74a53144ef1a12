/**
 * The desk never reaches into the sandboxes: no file of `server/src` imports the sandboxes
 * package, a `sandboxes/` path or the demo data, and the server package does not depend on
 * them, so a production build cannot contain them. The sandboxes package may import the
 * server's public entry only (`@desk/server`), never its files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/process.js';

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file names: static and type imports, re-exports, dynamic imports and requires. */
function importedModules(source: string): string[] {
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

const forbiddenForTheDesk = (specifier: string): boolean =>
  specifier === '@desk/sandboxes' ||
  specifier.startsWith('@desk/sandboxes/') ||
  /(^|\/)(sandboxes|demo)(\/|$)/.test(specifier);

describe('the boundary between the desk and the sandboxes', () => {
  it('When the scan reads import forms, then it finds every module a file names', () => {
    const source = [
      "import { a } from '@desk/sandboxes';",
      "import type { B } from '../sandboxes/jiko/index.js';",
      "export { c } from './demo/seed.js';",
      "import './sandboxes/side-effect.js';",
      "const d = await import('../demo/people.js');",
      "import { e } from './sandbox-free.js';",
    ].join('\n');
    expect(importedModules(source).filter(forbiddenForTheDesk)).toEqual([
      '@desk/sandboxes',
      '../sandboxes/jiko/index.js',
      './demo/seed.js',
      './sandboxes/side-effect.js',
      '../demo/people.js',
    ]);
  });

  it("When the desk's sources are scanned, then none imports the sandboxes package, a sandboxes/ path or the demo data", () => {
    const serverSrc = path.join(repoRoot, 'server', 'src');
    const offending = typeScriptFiles(serverSrc).flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter(forbiddenForTheDesk)
        .map((specifier) => `${path.relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
    const folders = readdirSync(serverSrc, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders).not.toContain('sandboxes');
    expect(folders).not.toContain('demo');
  });

  it('When the server package is read, then it does not depend on the sandboxes package', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'server', 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      expect(Object.keys(manifest[field] ?? {}), field).not.toContain('@desk/sandboxes');
    }
  });

  it('When the sandboxes package is scanned, then it reaches the server through its public entry only', () => {
    const offending = typeScriptFiles(path.join(repoRoot, 'sandboxes', 'src')).flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('@desk/server/') || /(^|\/)server\/src(\/|$)/.test(specifier))
        .map((specifier) => `${path.relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
