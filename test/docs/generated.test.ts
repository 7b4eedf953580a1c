// The generated reference pages in docs/ must match their sources: the schema, the commander
// definitions and rules/. A stale page fails here with the command that refreshes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../src/docs/generate.js';
import { anchor } from '../../src/docs/config-doc.js';
import { scalingSchema } from '../../src/config/schema.js';

const root = join(import.meta.dirname, '../..');
const pages = generatedDocs(root);

describe('generated docs', () => {
  for (const [path, text] of Object.entries(pages)) {
    it(`${path} is up to date`, () => {
      let committed = '';
      try {
        committed = readFileSync(join(root, path), 'utf8');
      } catch {
        // missing: reported by the assertion below
      }
      expect(committed === text, `${path} is stale or missing: run \`npm run docs\` and commit the result`).toBe(true);
    });
  }

  it('`npm run docs` itself works: scripts/docs.mjs --check finds every page up to date', async () => {
    const { execa } = await import('execa');
    const run = await execa(process.execPath, [join(root, 'scripts/docs.mjs'), '--check'], { cwd: root, reject: false });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('docs are up to date');
  }, 60_000);

  it('the configuration page lists every field of the schema with its constraints', () => {
    const page = pages['docs/configuration.md'];
    for (const key of Object.keys(scalingSchema.props)) expect(page).toContain(`| \`${key}\` |`);
    expect(page).toContain('| `services.<name>.autoscale.min` | integer ≥ 0 | yes | Hot instances, always running (0 = scale to zero). |');
    expect(page).toContain('| `services.<name>.autoscale.behavior.scaleUp.select` | `max` \\| `min` \\| `disabled` |');
    expect(page).toContain('## `services.<name>.autoscale.metrics[]` with `type: rps`');
  });

  it('the CLI page carries every command\'s --help, global flags included', () => {
    const page = pages['docs/cli.md'];
    for (const command of ['validate', 'show', 'plan', 'apply', 'check', 'simulate', 'init', 'set', 'completion']) {
      expect(page).toContain(`## ${command}\n\n\`\`\`text\nUsage: scalectl ${command}`);
    }
    expect(page.match(/Global Options:/g)?.length).toBeGreaterThanOrEqual(9);
    expect(page).not.toMatch(/[ \t]$/m);
  });

  it('the rule catalogue has one row per rule file', () => {
    const page = pages['docs/readiness-rules.md'];
    expect(page).toContain('| [`grammy-long-polling`](https://grammy.dev/guide/deployment-types) | JS/TS | error |');
    const rows = page.split('\n').filter((line) => /^\| (\[`|`)/.test(line));
    expect(page).toContain(`${rows.length} rules in 7 categories`);
  });

  it('anchors follow GitHub\'s heading ids', () => {
    expect(anchor('`services.<name>.autoscale.metrics[]` with `type: rps`')).toBe('servicesnameautoscalemetrics-with-type-rps');
  });
});
