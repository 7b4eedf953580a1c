// The scan cache (like ESLint's --cache): per file, the pattern findings and the facts, keyed by
// the file's content hash, in `<dir>/readiness-cache.json`. A warm scan reads and hashes each file
// and runs stage 2; it never loads the parser or the rule files. The whole cache is dropped when
// the rules, the extractors (FACTS_VERSION) or scalectl's version change.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../plan/types.js';
import type { FileFacts } from './facts.js';
import type { RuleInfo } from './rules.js';

const CACHE_FORMAT = 1;
export const CACHE_FILE = 'readiness-cache.json';

// What one file contributed last time it was scanned with this content.
export interface CachedFile {
  hash: string;
  findings: Finding[];
  facts: FileFacts;
}

interface CacheBody {
  format: number;
  key: string;
  rules: RuleInfo[];
  roots: Record<string, Record<string, CachedFile>>;
}

// The content hash the cache is keyed by.
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

// An open cache file: entries of one scan root, rule summaries, save().
export interface ScanCache {
  rules: RuleInfo[] | undefined;
  get(rel: string, hash: string): CachedFile | undefined;
  set(rel: string, entry: CachedFile): void;
  /** Forgets files not seen in this scan, stores the rule summaries, writes the file. */
  save(seen: Set<string>, rules: RuleInfo[]): void;
}

// Cache files already read in this process (several services in one plan), with their mtime.
const open = new Map<string, { body: CacheBody; mtime: number }>();

const mtimeOf = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

function load(path: string, key: string): CacheBody {
  const known = open.get(path);
  if (known && known.body.key === key && known.mtime === mtimeOf(path)) return known.body;
  let body: CacheBody | undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CacheBody;
    if (parsed.format === CACHE_FORMAT && parsed.key === key && parsed.roots && typeof parsed.roots === 'object') body = parsed;
  } catch {
    // missing, unreadable or corrupt: start empty (the cache is only ever an optimisation)
  }
  body ??= { format: CACHE_FORMAT, key, rules: [], roots: {} };
  open.set(path, { body, mtime: mtimeOf(path) });
  return body;
}

// Opens the cache in `dir` for `root`; `key` identifies the rules and extractors.
export function openCache(dir: string, root: string, key: string): ScanCache {
  const path = join(dir, CACHE_FILE);
  const body = load(path, key);
  const entries = (body.roots[root] ??= {});
  return {
    rules: body.rules.length > 0 ? body.rules : undefined,
    get: (rel, hash) => {
      const entry = entries[rel];
      return entry && entry.hash === hash ? entry : undefined;
    },
    set: (rel, entry) => {
      entries[rel] = entry;
    },
    save: (seen, rules) => {
      for (const rel of Object.keys(entries)) if (!seen.has(rel)) delete entries[rel];
      body.rules = rules;
      try {
        mkdirSync(dir, { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(body));
        renameSync(temp, path);
        open.set(path, { body, mtime: mtimeOf(path) });
      } catch {
        // a read-only folder: scan without caching
      }
    },
  };
}
