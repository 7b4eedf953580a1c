// Every rule has positive (invalid) and negative (valid) snippets in test/readiness/rules/<id>.yml
// (ast-grep's rule-test layout); each invalid snippet must produce the rule, no valid one may.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Lang } from '@ast-grep/napi';
import { defaultRulesDir, loadRules, parseRuleDoc, parseRuleFile, prebuildRules } from '../../src/readiness/rules.js';
import { scanText } from '../../src/readiness/scanner.js';
import type { FileLanguage } from '../../src/readiness/languages.js';

const rules = loadRules();
const SNIPPETS = join(import.meta.dirname, 'rules');
const LANGUAGE: Record<string, FileLanguage> = {
  js: { family: 'js', parser: Lang.Tsx },
  python: { family: 'python', parser: 'python' },
};

describe('readiness rules', () => {
  it('load with unique ids and one snippet file each', () => {
    expect(rules.length).toBeGreaterThan(0);
    const missing = rules.filter((rule) => !existsSync(join(SNIPPETS, `${rule.id}.yml`))).map((rule) => rule.id);
    expect(missing).toEqual([]);
  });

  // The build parses the YAML once into dist/rules.json (YAML parsing was most of a small scan's
  // start-up); rules read from it must be the rules read from the YAML.
  it('load the same from the build\'s pre-parsed rules as from the YAML files', () => {
    const dir = defaultRulesDir();
    const prebuilt = prebuildRules(dir);
    expect(prebuilt.docs.length).toBe(rules.length);
    const fromJson = JSON.parse(JSON.stringify(prebuilt)) as typeof prebuilt;
    for (const { file, doc } of fromJson.docs) expect(parseRuleDoc(file, doc)).toEqual(parseRuleFile(file, readFileSync(join(dir, file), 'utf8')));
  });

  // @ast-grep/napi compiles a rule's regexes on every search (once per file): a Unicode class
  // (`\w`, `\d`) costs up to a millisecond to compile, more than walking the file. Rules spell
  // ASCII classes out ([A-Za-z0-9_$]), which is also what `\w` means in JavaScript.
  it('use no Unicode character classes in their regexes', () => {
    const regexes = (node: unknown): string[] =>
      Array.isArray(node) ? node.flatMap(regexes) : node && typeof node === 'object' ? Object.entries(node).flatMap(([key, value]) => (key === 'regex' && typeof value === 'string' ? [value] : regexes(value))) : [];
    const offending = rules.flatMap((rule) => regexes(rule.matcher).filter((regex) => /\\[wWdD]/.test(regex)).map((regex) => `${rule.id}: ${regex}`));
    expect(offending).toEqual([]);
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const file = join(SNIPPETS, `${rule.id}.yml`);
      const cases = existsSync(file) ? (parseYaml(readFileSync(file, 'utf8')) as { valid?: string[]; invalid?: string[] }) : {};
      const run = (snippet: string) => scanText(snippet, 'snippet', LANGUAGE[rule.family], [rule]).filter((finding) => finding.ruleId === rule.id);

      it('has at least one positive and one negative snippet', () => {
        expect(cases.invalid?.length ?? 0).toBeGreaterThan(0);
        expect(cases.valid?.length ?? 0).toBeGreaterThan(0);
      });
      (cases.invalid ?? []).forEach((snippet, index) => {
        it(`flags invalid snippet #${index + 1}`, () => {
          const found = run(snippet);
          expect(found.length, snippet).toBeGreaterThan(0);
          expect(found[0]).toMatchObject({ ruleId: rule.id, category: rule.category, fix: rule.fix });
          expect(found[0].message).not.toMatch(/\$[A-Z]/);
        });
      });
      (cases.valid ?? []).forEach((snippet, index) => {
        it(`accepts valid snippet #${index + 1}`, () => {
          expect(run(snippet), snippet).toEqual([]);
        });
      });
    });
  }
});
