// Gitignore-style glob patterns for the walker and for `readiness.ignore` paths.

// Turns a glob (`*`, `?`, `**`, `[abc]`) into a regex over a `/`-separated relative path.
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

// One parsed gitignore line.
export interface IgnorePattern {
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
  /** Matches against the path relative to the ignore file's folder (else: the base name). */
  anchored: boolean;
}

// Parses .gitignore text into patterns (comments, blanks, `!`, trailing `/`, anchoring).
export function parseIgnoreFile(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    patterns.push({ regex: globToRegExp(line), negated, dirOnly, anchored });
  }
  return patterns;
}

// An ignore file's patterns with the folder they are relative to ('' = the scan root).
export interface IgnoreScope {
  base: string;
  /** For an ignore file above the scan root: the root's path relative to that file's folder. */
  outer?: string;
  patterns: IgnorePattern[];
}

// Gitignore semantics across nested files: the last matching pattern wins.
export function isIgnored(scopes: IgnoreScope[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    let local: string;
    if (scope.outer !== undefined) local = `${scope.outer}/${relPath}`;
    else if (scope.base === '') local = relPath;
    else if (relPath.startsWith(`${scope.base}/`)) local = relPath.slice(scope.base.length + 1);
    else continue;
    const name = local.slice(local.lastIndexOf('/') + 1);
    for (const pattern of scope.patterns) {
      if (pattern.dirOnly && !isDir) continue;
      if (pattern.regex.test(pattern.anchored ? local : name)) ignored = !pattern.negated;
    }
  }
  return ignored;
}
