// The generated reference pages, by path relative to the repository root. `npm run docs` writes
// them (scripts/docs.mjs); test/docs/generated.test.ts fails when a committed page is stale.
import { join } from 'node:path';
import { buildProgram } from '../cli/main.js';
import { loadRules } from '../readiness/rules.js';
import { cliDoc } from './cli-doc.js';
import { configurationDoc } from './config-doc.js';
import { rulesDoc } from './rules-doc.js';

// Every generated page's path and content, for the repository at `root`.
export function generatedDocs(root: string): Record<string, string> {
  const program = buildProgram(async () => {});
  return {
    'docs/configuration.md': configurationDoc(),
    'docs/cli.md': cliDoc(program),
    'docs/readiness-rules.md': rulesDoc(loadRules(join(root, 'rules'))),
  };
}
