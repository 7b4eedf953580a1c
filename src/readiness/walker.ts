// Lists the source files a scan reads: known languages only, skipping tests, fixtures,
// dependencies, vendored and generated code and .gitignore'd paths. Skip rules apply to paths
// relative to the scan root, so a fixture app can itself be scanned as a root. Symlinks are
// followed only while they stay inside the root. What cannot be read (permissions, a file gone
// mid-scan, a name or content that is not UTF-8, a file above the size limit) is reported through
// `onSkip` and the walk goes on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
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

// Files above this size are skipped (bundles, data dumps) and reported as skipped.
export const DEFAULT_MAX_BYTES = 1024 * 1024;

// Why a file or folder that would have been scanned was not.
export type SkipReason = 'unreadable' | 'vanished' | 'too-large' | 'undecodable-name' | 'undecodable-content';

// A file (or folder, `rel` ending in `/`) the scan could not read; the scan goes on without it.
export interface SkippedFile {
  /** Relative to the root, `/`-separated (an undecodable name shows U+FFFD where bytes were invalid). */
  file: string;
  reason: SkipReason;
  /** What exactly: the error code, the size, the encoding problem. */
  detail: string;
}

// What to skip; every field has a default.
export interface WalkOptions {
  root: string;
  skipDirs?: string[];
  skipFiles?: RegExp[];
  maxBytes?: number;
  /** Told about each file or folder skipped because it could not be read (the walk goes on). */
  onSkip?: (skipped: SkippedFile) => void;
}

// One file to scan.
export interface WalkedFile {
  abs: string;
  /** Relative to the root, `/`-separated. */
  rel: string;
  language: FileLanguage;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(name: Buffer): string | undefined {
  try {
    return utf8.decode(name);
  } catch {
    return undefined;
  }
}

// The reason and detail for a failed fs call: gone (ENOENT) or not readable (anything else).
function failure(error: unknown): { reason: SkipReason; detail: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  if (code === 'ENOENT' || code === 'ENOTDIR') return { reason: 'vanished', detail: `${code}: it disappeared during the scan` };
  return { reason: 'unreadable', detail: code === 'EACCES' || code === 'EPERM' ? `${code}: permission denied` : code };
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

// Every scannable file under the root, sorted by relative path. A file reached through several
// paths (a symlink to a file inside the root) is listed once, under its own path when the walk
// reaches it, else under the first link.
export async function walk(options: WalkOptions): Promise<WalkedFile[]> {
  const skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
  const skipFiles = options.skipFiles ?? DEFAULT_SKIP_FILES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const skip = (file: string, why: { reason: SkipReason; detail: string }) => options.onSkip?.({ file, ...why });
  const rootReal = await realpath(options.root);
  const inside = (path: string) => path === rootReal || path.startsWith(rootReal + sep);
  const visited = new Set<string>([rootReal]);
  // Real path -> the file listed for it, and whether it was reached through a link.
  const byTarget = new Map<string, { file: WalkedFile; viaLink: boolean }>();

  async function visit(dirAbs: string, dirReal: string, dirRel: string, scopes: IgnoreScope[]): Promise<void> {
    const own = readIgnore(join(dirAbs, '.gitignore'));
    const active = own.length ? [...scopes, { base: dirRel, patterns: own }] : scopes;
    let entries;
    try {
      entries = await readdir(dirAbs, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      skip(dirRel === '' ? './' : `${dirRel}/`, failure(error));
      return;
    }
    const subdirs: Promise<void>[] = [];
    for (const entry of entries) {
      const name = decodeName(entry.name);
      const shown = name ?? entry.name.toString('utf8');
      const rel = dirRel === '' ? shown : `${dirRel}/${shown}`;
      if (name === undefined) {
        if (entry.isDirectory() || languageOf(shown)) skip(entry.isDirectory() ? `${rel}/` : rel, { reason: 'undecodable-name', detail: 'the name is not valid UTF-8' });
        continue;
      }
      const abs = join(dirAbs, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let target = join(dirReal, name);
      const viaLink = entry.isSymbolicLink();
      if (viaLink) {
        try {
          target = await realpath(abs);
        } catch {
          continue; // dangling link: nothing to read
        }
        if (!inside(target)) continue; // never leave the root through a link
        try {
          const info = await stat(target);
          isDir = info.isDirectory();
          isFile = info.isFile();
        } catch (error) {
          if (languageOf(name)) skip(rel, failure(error));
          continue;
        }
      }
      if (isDir) {
        if (name.startsWith('.') || skipDirs.has(name) || isIgnored(active, rel, true)) continue;
        if (visited.has(target)) continue; // a link cycle or a second way into the same folder
        visited.add(target);
        subdirs.push(visit(abs, target, rel, active));
      } else if (isFile) {
        const language = languageOf(name);
        if (!language || skipFiles.some((re) => re.test(name)) || isIgnored(active, rel, false)) continue;
        let size: number;
        try {
          size = statSync(target).size; // (sync: thousands of awaited stats in a row cost 4x the time)
        } catch (error) {
          skip(rel, failure(error));
          continue;
        }
        if (size > maxBytes) {
          skip(rel, { reason: 'too-large', detail: `${size} bytes, above the ${maxBytes}-byte limit` });
          continue;
        }
        const known = byTarget.get(target);
        const file = { abs, rel, language };
        if (!known || (known.viaLink && (!viaLink || rel < known.file.rel))) byTarget.set(target, { file, viaLink });
      }
    }
    await Promise.all(subdirs);
  }

  await visit(rootReal, rootReal, '', outerScopes(rootReal));
  const files = [...byTarget.values()].map((entry) => entry.file);
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

// A walked file's text, or undefined when it is not to be scanned: unreadable, gone since the
// walk, not UTF-8 or binary (each reported to `onSkip`), or generated/minified (skipped quietly,
// like vendored code). Read synchronously: one call instead of four libuv round trips
// (open/fstat/read/close), which cost more CPU than the read itself on a large scan.
export async function readSource(file: WalkedFile, onSkip?: (skipped: SkippedFile) => void): Promise<string | undefined> {
  return readSourceSync(file, onSkip);
}

// readSource on the calling thread (a scan worker reads its own files).
export function readSourceSync(file: Pick<WalkedFile, 'abs' | 'rel'>, onSkip?: (skipped: SkippedFile) => void): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.abs);
  } catch (error) {
    onSkip?.({ file: file.rel, ...failure(error) });
    return undefined;
  }
  if (bytes.subarray(0, 8000).includes(0)) {
    onSkip?.({ file: file.rel, reason: 'undecodable-content', detail: 'binary content (NUL bytes)' });
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    onSkip?.({ file: file.rel, reason: 'undecodable-content', detail: 'not valid UTF-8' });
    return undefined;
  }
  return isUnscannableText(text) ? undefined : text;
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
