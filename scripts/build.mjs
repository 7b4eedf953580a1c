// Bundles the CLI into dist/ (code-split so each command loads lazily) and writes scaling.schema.json.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
rmSync(new URL('dist', root), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts', 'json-schema': 'src/config/json-schema.ts', 'readiness-worker': 'src/readiness/worker.ts', 'readiness-rules': 'src/readiness/rules.ts' },
  absWorkingDir: new URL('.', root).pathname,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Heavy or native packages stay external and load only when an adapter or the checker needs them.
  external: ['dockerode', '@kubernetes/client-node', '@ast-grep/napi', '@ast-grep/lang-python', 'execa', 'kubernetes-models'],
  define: { SCALECTL_VERSION: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __scalectlRequire } from 'node:module'; const require = __scalectlRequire(import.meta.url);" },
  logLevel: 'warning',
});

const { jsonSchema } = await import(new URL('dist/json-schema.js', root).href);
writeFileSync(new URL('scaling.schema.json', root), `${JSON.stringify(jsonSchema(), null, 2)}\n`);
// The shipped readiness rules, parsed once here: YAML parsing is most of loading them
// (src/readiness/rules.ts uses dist/rules.json while the rule files still hash to its key).
const { prebuildRules } = await import(new URL('dist/readiness-rules.js', root).href);
writeFileSync(new URL('dist/rules.json', root), JSON.stringify(prebuildRules(new URL('rules', root).pathname)));
