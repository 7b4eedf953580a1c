// Lists the source files a scan reads: known languages only, skipping tests, fixtures,
// dependencies, vendored and generated code, .gitignore'd paths and oversized files. Skip rules
// apply to paths relative to the scan root, so a fixture app can itself be scanned as a root.
// Symlinks are followed only while they stay inside the root.
import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isIgnored, parseIgnoreFile, type IgnoreScope } from './glob.js';
import { languageOf, type FileLanguage } from './languages.js';

// Folder names never scanned, at any depth below the root (hidden folders are skipped too).
export const DEFAULT_SKIP_DIRS = [
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', 'vendored', 'third_party', 'third-party',
  'dist', 'build', 'out', 'coverage', 'site-packages', '__pycache__', 'venv', 'htmlcov',
  'test', 'tests', '__tests__', 'spec', 'specs', 'fixtures', '__fixtures__', 'e2e', 'cypress', 'playwright',
  'mocks', '__mocks__', 'storybook-static',
];

// File names never scanned: tests, specs, stories, type declarations, minified and generated code.
export const DEFAULT_SKIP_FILES: RegExp[] = [
  /\.(test|spec|stories|story|e2e|cy)\.[cm]?[jt]sx?$/,
  /\.d\.[cm]?ts$/,
  /\.min\.[cm]?js$/,
  /\.(generated|gen)\.[cm]?[jt]sx?$/,
  /^test_.*\.py$/,
  /_test\.py$/,
  /^conftest\.py$/,
  /_pb2(_grpc)?\.py$/,
  /\.pb\.[cm]?[jt]s$/,
];

// Files above this size are skipped (bundles, data dumps).
export const DEFAULT_MAX_BYTES = 1024 * 1024;

// What to skip; every field has a default.
export interface WalkOptions {
  root: string;
  skipDirs?: string[];
  skipFiles?: RegExp[];
  maxBytes?: number;
}

// One file to scan.
export interface WalkedFile {
  abs: string;
  /** Relative to the root, `/`-separated. */
  rel: string;
  language: FileLanguage;
}

function readIgnore(path: string): IgnoreScope['patterns'] {
  try {
    return parseIgnoreFile(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

// .gitignore files between the root and its repository top (the folder holding .git).
function outerScopes(rootReal: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  let dir = rootReal;
  while (!existsSync(join(dir, '.git'))) {
    const parent = dirname(dir);
    if (parent === dir) return []; // not inside a repository: only the root's own files count
    dir = parent;
    const patterns = readIgnore(join(dir, '.gitignore'));
    if (patterns.length) scopes.unshift({ base: '', outer: relative(dir, rootReal).split(sep).join('/'), patterns });
  }
  return scopes;
}

// Every scannable file under the root, sorted by relative path.
export async function walk(options: WalkOptions): Promise<WalkedFile[]> {
  const skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
  const skipFiles = options.skipFiles ?? DEFAULT_SKIP_FILES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const rootReal = await realpath(options.root);
  const inside = (path: string) => path === rootReal || path.startsWith(rootReal + sep);
  const visited = new Set<string>([rootReal]);
  const files: WalkedFile[] = [];

  async function visit(dirAbs: string, dirRel: string, scopes: IgnoreScope[]): Promise<void> {
    const own = readIgnore(join(dirAbs, '.gitignore'));
    const active = own.length ? [...scopes, { base: dirRel, patterns: own }] : scopes;
    let entries;
    try {
      entries = await readdir(dirAbs, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to scan there
    }
    const subdirs: Promise<void>[] = [];
    for (const entry of entries) {
      const abs = join(dirAbs, entry.name);
      const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let target = abs;
      if (entry.isSymbolicLink()) {
        try {
          target = await realpath(abs);
        } catch {
          continue; // dangling link
        }
        if (!inside(target)) continue; // never leave the root through a link
        const info = await stat(target);
        isDir = info.isDirectory();
        isFile = info.isFile();
      }
      if (isDir) {
        if (entry.name.startsWith('.') || skipDirs.has(entry.name) || isIgnored(active, rel, true)) continue;
        if (visited.has(target)) continue; // a link cycle or a second way into the same folder
        visited.add(target);
        subdirs.push(visit(abs, rel, active));
      } else if (isFile) {
        const language = languageOf(entry.name);
        if (!language || skipFiles.some((re) => re.test(entry.name)) || isIgnored(active, rel, false)) continue;
        const info = await lstat(target);
        if (info.size > maxBytes) continue;
        files.push({ abs, rel, language });
      }
    }
    await Promise.all(subdirs);
  }

  await visit(rootReal, '', outerScopes(rootReal));
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

// Binary (a NUL byte early on) or generated/minified text that findings would only clutter.
export function isUnscannableText(text: string): boolean {
  if (text.slice(0, 8000).includes('\u0000')) return true;
  const head = text.slice(0, 400);
  if (/@generated\b|DO NOT EDIT|auto-generated by/i.test(head)) return true;
  const sample = text.slice(0, 20000);
  let newlines = 0;
  for (let i = sample.indexOf('\n'); i !== -1; i = sample.indexOf('\n', i + 1)) newlines++;
  return sample.length > 4000 && sample.length / (newlines + 1) > 400; // minified: very long lines
}
