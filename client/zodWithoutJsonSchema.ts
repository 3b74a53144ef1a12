/**
 * A build step: every zod schema carries its JSON Schema conversion (`toJSONSchema()`, the
 * Standard Schema `jsonSchema` methods), so zod's two JSON Schema modules are reachable from
 * the first screen, though the web client never converts a schema (the server publishes the
 * OpenAPI document). In the client's build those modules keep their exports, each one failing
 * loudly if ever called; only `aggregateChecks` stays real (a schema's `minLength`,
 * `maxLength` and the like, which the set-password page reads). The build fails if zod no
 * longer has the modules or exports this relies on.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const processorsModule = /[\\/]zod[\\/]v4[\\/]core[\\/]json-schema-processors\.js$/;
const conversionModule = /[\\/]zod[\\/]v4[\\/]core[\\/]to-json-schema\.js$/;
/** Kept as zod wrote it: the checks' summary behind a schema's `minLength`, `format`… getters. */
const kept = 'aggregateChecks';
/** Called when a schema's Standard Schema props are read: they must return a method, not fail. */
const methodFactories = ['createToJSONSchemaMethod', 'createStandardJSONSchemaMethod'];

/** The names a module exports (`export function f`, `export const c`, `export { a as b }`). */
function exportsOf(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm)) names.add(m[1] ?? '');
  for (const m of source.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  names.delete('');
  return [...names];
}

const unavailable = `const unavailable = (name) => () => {
  throw new Error(\`zod's JSON Schema conversion (\${name}) is not part of the web client\`);
};
`;

function failingExports(names: string[]): string {
  return names
    .map((name) =>
      methodFactories.includes(name)
        ? `export const ${name} = () => unavailable(${JSON.stringify(name)});`
        : `export const ${name} = unavailable(${JSON.stringify(name)});`,
    )
    .join('\n');
}

function need(condition: boolean, what: string): void {
  if (!condition) throw new Error(`zodWithoutJsonSchema: ${what}; zod changed, update client/zodWithoutJsonSchema.ts`);
}

export function zodWithoutJsonSchema(): Plugin {
  return {
    name: 'desk-zod-without-json-schema',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      if (processorsModule.test(id)) {
        const source = readFileSync(id, 'utf8');
        const start = source.indexOf(`export function ${kept}(`);
        need(start >= 0, `json-schema-processors.js has no ${kept}`);
        // `aggregateChecks` and what it uses come first; the processors follow it.
        const next = source.slice(start + 1).search(/\n(?:export |const |function |let )/);
        need(next >= 0, `json-schema-processors.js does not go on after ${kept}`);
        const head = source.slice(0, start + 1 + next + 1);
        const names = exportsOf(source).filter((name) => name !== kept);
        need(names.length > 0 && exportsOf(head).includes(kept), 'json-schema-processors.js has an unexpected shape');
        return `${head}\n${unavailable}${failingExports(names)}\n`;
      }
      if (conversionModule.test(id)) {
        const names = exportsOf(readFileSync(id, 'utf8'));
        need(
          methodFactories.every((name) => names.includes(name)),
          `to-json-schema.js lacks ${methodFactories.join(' or ')}`,
        );
        return `${unavailable}${failingExports(names)}\n`;
      }
      return null;
    },
  };
}
