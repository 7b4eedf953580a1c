// The rule files are plain ast-grep rules: `ast-grep scan` (@ast-grep/cli) with the same files
// finds exactly what scalectl finds in every fixture app (scalectl adds file skipping,
// suppression and env-gate severities on top; those files and lines are left out of the comparison).
// Rules judged by stage 2 (`metadata.engine`: facts, reported at the declaration; `metadata.unless`:
// a fact about the whole project; `metadata.requires`: likewise) are left out too: there scalectl is deliberately not a pattern match.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { scan } from '../../src/readiness/index.js';
import { findPackageRoot } from '../../src/readiness/package-root.js';
import { walk } from '../../src/readiness/walker.js';

const REPO = findPackageRoot();
const FIXTURES = join(import.meta.dirname, 'fixtures');
const AST_GREP = join(REPO, 'node_modules/.bin/ast-grep');
let config: string;
const projectRules = new Set<string>();

function ruleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? ruleFiles(join(dir, entry.name)) : entry.name.endsWith('.yml') ? [join(dir, entry.name)] : [],
  );
}

beforeAll(() => {
  config = mkdtempSync(join(tmpdir(), 'scalectl-sg-'));
  mkdirSync(join(config, 'rules'));
  // ast-grep binds one grammar per rule: JS-family rules run once as TypeScript (.ts) and once as Tsx (JS, JSX, TSX).
  for (const file of ruleFiles(join(REPO, 'rules'))) {
    const rule = parseYaml(readFileSync(file, 'utf8'));
    if (rule.metadata?.engine || rule.metadata?.unless || rule.metadata?.requires) {
      projectRules.add(rule.id);
      continue;
    }
    for (const language of rule.language === 'Python' ? ['Python'] : ['TypeScript', 'Tsx']) {
      writeFileSync(join(config, 'rules', `${rule.id}.${language}.yml`), toYaml({ ...rule, id: `${rule.id}@${language}`, language }));
    }
  }
  writeFileSync(join(config, 'sgconfig.yml'), toYaml({ ruleDirs: ['rules'], languageGlobs: { tsx: ['*.js', '*.mjs', '*.cjs', '*.jsx'] } }));
});
afterAll(() => rmSync(config, { recursive: true, force: true }));

describe('ast-grep scan parity', () => {
  for (const app of readdirSync(FIXTURES).sort()) {
    it(app, async () => {
      const root = join(FIXTURES, app);
      const result = spawnSync(AST_GREP, ['scan', '--config', join(config, 'sgconfig.yml'), '--json=compact', root], { encoding: 'utf8', timeout: 60_000 });
      expect([0, 1], result.stderr).toContain(result.status); // 1 = error-severity matches found
      const scanned = new Set((await walk({ root })).map((file) => file.rel));
      const suppressed = (rel: string, line: number) => {
        const lines = readFileSync(join(root, rel), 'utf8').split('\n');
        return [lines[line - 1], lines[line - 2]].some((text) => text?.includes('scalectl-ignore'));
      };
      const theirs = (JSON.parse(result.stdout) as { ruleId: string; file: string; range: { start: { line: number; column: number } } }[])
        .map((match) => ({ rule: match.ruleId.split('@')[0], file: match.file.slice(root.length + 1), line: match.range.start.line + 1, column: match.range.start.column + 1 }))
        .filter((match) => scanned.has(match.file) && !suppressed(match.file, match.line))
        .map((match) => `${match.rule} ${match.file}:${match.line}:${match.column}`);
      const ours = (await scan({ root })).findings.filter((finding) => !projectRules.has(finding.ruleId)).map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}:${finding.column}`);
      expect(new Set(theirs)).toEqual(new Set(ours));
    });
  }
});
