// Scans a source tree: walk, read, prefilter, parse in libuv threads, match, suppress.
import { parse, parseAsync } from '@ast-grep/napi';
import type { Finding } from '../plan/types.js';
import { ensureLanguages, type FileLanguage } from './languages.js';
import { candidateRules, matchRules } from './match.js';
import { CATEGORIES, loadRules, type ReadinessRule } from './rules.js';
import { isSuppressedInline, makeConfigIgnore } from './suppress.js';
import { readSource, walk, type SkippedFile, type WalkOptions } from './walker.js';

// How to scan; only `root` is required.
export interface ScanOptions {
  root: string;
  /** `readiness.ignore` entries: rule ids, categories or path patterns. */
  ignore?: string[];
  onProgress?: (filesScanned: number) => void;
  rules?: ReadinessRule[];
  skipDirs?: WalkOptions['skipDirs'];
  maxBytes?: number;
  /** Files parsed at once (threads come from libuv's pool). */
  concurrency?: number;
}

// What a scan found.
export interface ScanResult {
  findings: Finding[];
  filesScanned: number;
  root: string;
  /** Files that would have been scanned but could not be read, with why (the scan went on). */
  skipped: SkippedFile[];
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

// Stable order: file, line, column, rule.
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity] || (a.ruleId < b.ruleId ? -1 : 1)));
}

function familyRules(rules: ReadinessRule[], language: FileLanguage): ReadinessRule[] {
  return rules.filter((rule) => rule.family === language.family);
}

// Findings in one source text (inline suppressions applied); used by scans and rule tests.
export function scanText(text: string, rel: string, language: FileLanguage, rules: ReadinessRule[]): Finding[] {
  ensureLanguages();
  const candidates = candidateRules(familyRules(rules, language), text);
  if (candidates.length === 0) return [];
  const root = parse(language.parser, text).root();
  return withoutInlineSuppressed(matchRules(root, text, rel, candidates), text);
}

function withoutInlineSuppressed(findings: Finding[], text: string): Finding[] {
  if (findings.length === 0 || !text.includes('scalectl-ignore')) return findings;
  const lines = text.split('\n');
  return findings.filter((finding) => !isSuppressedInline(lines, finding.line, finding.ruleId));
}

// Scans every source file under `options.root`.
export async function scanTree(options: ScanOptions): Promise<ScanResult> {
  ensureLanguages();
  const rules = options.rules ?? loadRules();
  const configIgnore = makeConfigIgnore(options.ignore, new Set(rules.map((rule) => rule.id)), CATEGORIES);
  const active = rules.filter((rule) => !configIgnore.rule(rule.id, rule.category));
  const skipped: SkippedFile[] = [];
  const onSkip = (entry: SkippedFile) => {
    if (!configIgnore.path(entry.file.replace(/\/$/, ''))) skipped.push(entry);
  };
  const files = (await walk({ root: options.root, skipDirs: options.skipDirs, maxBytes: options.maxBytes, onSkip })).filter((file) => !configIgnore.path(file.rel));
  const findings: Finding[] = [];
  let filesScanned = 0;
  let next = 0;

  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++];
      const text = await readSource(file, onSkip);
      if (text !== undefined) {
        const candidates = candidateRules(familyRules(active, file.language), text);
        if (candidates.length > 0) {
          const root = (await parseAsync(file.language.parser, text)).root();
          findings.push(...withoutInlineSuppressed(matchRules(root, text, file.rel, candidates), text));
        }
        filesScanned++;
        options.onProgress?.(filesScanned);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { findings: sortFindings(findings), filesScanned, root: options.root, skipped };
}
