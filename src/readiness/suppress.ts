// Suppression: `scalectl-ignore <ruleId>` comments on or above a line, and `readiness.ignore`
// entries (rule ids, categories or gitignore-style paths) from the service's config.
import { isIgnored, parseIgnoreFile } from './glob.js';

const INLINE = /scalectl-ignore\b(?:[:\s]+([A-Za-z0-9_,\s-]*))?/;
const COMMENT_ONLY = /^\s*(?:\/\/|#|\/\*|\*|<!--|\{\s*\/\*)/;

function suppresses(lineText: string | undefined, ruleId: string): boolean {
  if (lineText === undefined) return false;
  const match = lineText.match(INLINE);
  if (!match) return false;
  const ids = (match[1] ?? '').split(/[\s,]+/).filter((id) => id !== '' && id !== '-' && id !== '--');
  return ids.length === 0 || ids.includes(ruleId) || ids.includes('all');
}

// True when the finding's line, or a comment-only line right above it, names the rule.
export function isSuppressedInline(lines: string[], line: number, ruleId: string): boolean {
  if (suppresses(lines[line - 1], ruleId)) return true;
  const above = lines[line - 2];
  return above !== undefined && COMMENT_ONLY.test(above) && suppresses(above, ruleId);
}

// Decides which findings the service's `readiness.ignore` list drops.
export interface ConfigIgnore {
  rule(ruleId: string, category: string): boolean;
  path(relPath: string): boolean;
}

// Entries naming a known rule id or category drop that rule; any other entry is a path pattern.
export function makeConfigIgnore(entries: string[] = [], ruleIds: Set<string>, categories: readonly string[]): ConfigIgnore {
  const ruleEntries = new Set(entries.filter((entry) => ruleIds.has(entry) || categories.includes(entry)));
  const scopes = [{ base: '', patterns: parseIgnoreFile(entries.filter((entry) => !ruleEntries.has(entry)).join('\n')) }];
  return {
    rule: (ruleId, category) => ruleEntries.has(ruleId) || ruleEntries.has(category),
    path: (relPath) => {
      if (scopes[0].patterns.length === 0) return false;
      const parts = relPath.split('/');
      for (let i = 1; i < parts.length; i++) if (isIgnored(scopes, parts.slice(0, i).join('/'), true)) return true;
      return isIgnored(scopes, relPath, false);
    },
  };
}
