// Bundles TypeScript sources of this repository into one ES module with esbuild (the benches run
// the engine without a build step) and imports it. `exports` is the module text, e.g.
// "export { simulate } from './src/simulate/index.ts';"; `dir` holds the bundle.
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function importBundle(exports, dir, name, external = []) {
  const file = join(dir, `${name}.mjs`);
  await build({ stdin: { contents: exports, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: file, external, logLevel: 'error' });
  return import(pathToFileURL(file).href);
}
