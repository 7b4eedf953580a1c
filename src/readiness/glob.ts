// Gitignore matching for the walker and for `readiness.ignore` paths, on the `ignore` package
// (the matcher ESLint and Prettier use: git's semantics, linear in the path length).
import ignore, { type Ignore } from 'ignore';

// Parses .gitignore text into its pattern lines (blank lines and comments dropped).
export function parseIgnoreFile(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

// An ignore file's patterns with the folder they are relative to ('' = the scan root).
export interface IgnoreScope {
  base: string;
  /** For an ignore file above the scan root: the root's path relative to that file's folder. */
  outer?: string;
  patterns: string[];
}

const matchers = new WeakMap<string[], Ignore>();

function matcherOf(patterns: string[]): Ignore {
  let matcher = matchers.get(patterns);
  if (!matcher) {
    matcher = ignore({ ignorecase: false, allowRelativePaths: true }).add(patterns);
    matchers.set(patterns, matcher);
  }
  return matcher;
}

// Gitignore semantics across nested files: the innermost file with a verdict wins.
export function isIgnored(scopes: IgnoreScope[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    if (scope.patterns.length === 0) continue;
    let local: string;
    if (scope.outer !== undefined) local = scope.outer === '' ? relPath : `${scope.outer}/${relPath}`;
    else if (scope.base === '') local = relPath;
    else if (relPath.startsWith(`${scope.base}/`)) local = relPath.slice(scope.base.length + 1);
    else continue;
    const verdict = matcherOf(scope.patterns).test(isDir ? `${local}/` : local);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}
