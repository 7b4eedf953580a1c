// Regenerates the reference pages in docs/ from their sources (src/docs/generate.ts says which).
// `node scripts/docs.mjs --check` writes nothing and exits 1 when a page is stale.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const out = mkdtempSync(join(tmpdir(), 'scalectl-docs-'));
try {
  await build({
    entryPoints: [join(root, 'src/docs/generate.ts')],
    outfile: join(out, 'generate.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  // Bare imports resolve from the bundle's folder: point them at this checkout's node_modules.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  const { generatedDocs } = await import(pathToFileURL(join(out, 'generate.mjs')).href);
  let stale = 0;
  for (const [path, text] of Object.entries(generatedDocs(root))) {
    const file = join(root, path);
    let current = '';
    try { current = readFileSync(file, 'utf8'); } catch { /* not written yet */ }
    if (current === text) continue;
    stale += 1;
    if (check) { console.error(`${path} is stale: run \`npm run docs\``); continue; }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
  }
  if (check && stale > 0) process.exitCode = 1;
  else if (stale === 0) console.log('docs are up to date');
} finally {
  rmSync(out, { recursive: true, force: true });
}
