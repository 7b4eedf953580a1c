// Every relative link in README.md, CONTRIBUTING.md and docs/ points at a file that exists, and a
// `#fragment` at a heading of that file (GitHub's heading ids).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchor } from '../../src/docs/config-doc.js';

const root = join(import.meta.dirname, '../..');

function markdownFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

// Markdown text without fenced code blocks and inline code, where link syntax means nothing.
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, (code) => (code.includes('](') ? '' : code));
}

function headingIds(text: string): Set<string> {
  const ids = new Set<string>();
  const counts = new Map<string, number>();
  for (const match of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const id = anchor(match[1]);
    const seen = counts.get(id) ?? 0;
    counts.set(id, seen + 1);
    ids.add(seen === 0 ? id : `${id}-${seen}`);
  }
  return ids;
}

describe('documentation links', () => {
  const files = markdownFiles();

  it('finds the pages', () => {
    expect(files).toContain('docs/README.md');
    expect(files).toContain('docs/configuration.md');
  });

  for (const file of files) {
    it(`${file}: relative links resolve`, () => {
      const broken: string[] = [];
      for (const match of prose(readFileSync(join(root, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1];
        if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
        const [path, fragment] = link.split('#');
        const target = path ? relative(root, join(root, dirname(file), path)) : file;
        if (!existsSync(join(root, target))) {
          broken.push(`${link} (no such file: ${target})`);
          continue;
        }
        if (fragment && target.endsWith('.md') && !headingIds(readFileSync(join(root, target), 'utf8')).has(fragment)) {
          broken.push(`${link} (no heading #${fragment} in ${target})`);
        }
      }
      expect(broken, `broken links in ${file}`).toEqual([]);
    });
  }
});
