// init's `$schema` line must point at a schema every machine with the project has, never at the
// path of the scalectl that happened to write the file.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modeline } from '../../src/init/render.js';

const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('init $schema modeline', () => {
  it('points at the project\'s own node_modules/scalectl when it is installed there', () => {
    const project = mkdtempSync(join(tmpdir(), 'scalectl-modeline-'));
    mkdirSync(join(project, 'node_modules/scalectl'), { recursive: true });
    writeFileSync(join(project, 'node_modules/scalectl/scaling.schema.json'), '{}');
    mkdirSync(join(project, 'services/web'), { recursive: true });
    expect(modeline(project)).toBe('# yaml-language-server: $schema=./node_modules/scalectl/scaling.schema.json');
    expect(modeline(join(project, 'services/web'))).toBe('# yaml-language-server: $schema=../../node_modules/scalectl/scaling.schema.json');
  });

  it('points at the published package by version when scalectl runs from elsewhere (a global install)', () => {
    const project = mkdtempSync(join(tmpdir(), 'scalectl-modeline-'));
    expect(modeline(project)).toBe(`# yaml-language-server: $schema=https://unpkg.com/scalectl@${version}/scaling.schema.json`);
  });

  it('inside the scalectl checkout itself, points at its schema relatively', () => {
    expect(modeline(join(root, 'examples/shop'))).toBe('# yaml-language-server: $schema=../../scaling.schema.json');
  });
});
