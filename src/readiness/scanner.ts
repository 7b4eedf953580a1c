// Scans a source tree in two stages. Stage 1, per file: walk, read, hash; on a cache miss,
// prefilter, parse in libuv threads, run the pattern rules and extract facts. Stage 2, over the
// project: fact-based rules (project.ts). Then config and inline suppression.
import type { Finding } from '../plan/types.js';
import { contentHash, openCache, type CachedFile } from './cache.js';
import { emptyFacts, FACTS_VERSION, type FileFacts } from './facts.js';
import { jsFacts, jsNeedsFacts } from './facts-js.js';
import { pyFacts, pyNeedsFacts } from './facts-python.js';
import { napi, type FileLanguage } from './languages.js';
import { candidateRules, matchRules } from './match.js';
import { projectFindings, type ProjectFile } from './project.js';
import { CATEGORIES, defaultRulesDir, loadRules, ruleInfo, rulesKey, type ReadinessRule, type RuleInfo } from './rules.js';
import { isSuppressedInline, makeConfigIgnore } from './suppress.js';
import { readSource, walk, type SkippedFile, type WalkOptions } from './walker.js';

declare const SCALECTL_VERSION: string | undefined;

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
  /** Folder of the scan cache (e.g. `.scalectl`); no cache when absent or when `rules` is given. */
  cacheDir?: string;
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
  return rules.filter((rule) => rule.family === language.family && rule.engine === undefined);
}

function needsFacts(text: string, rel: string, language: FileLanguage): boolean {
  return language.family === 'js' ? jsNeedsFacts(text, rel) : pyNeedsFacts(text);
}

function ignoreLines(text: string): Record<number, string> {
  const lines: Record<number, string> = {};
  if (!text.includes('scalectl-ignore')) return lines;
  text.split('\n').forEach((line, index) => {
    if (line.includes('scalectl-ignore')) lines[index + 1] = line;
  });
  return lines;
}

// `ctx.session.x`, `ctx.session = …` reads or writes session data (`session(` is the middleware).
const SESSION_READ = /\.session\b(?!\s*\()/;

// python-telegram-bot persistence: `Application.builder().persistence(p)`, `Updater(…, persistence=p)`,
// `PicklePersistence(…)` / `DictPersistence` / a `BasePersistence` subclass.
const PTB_PERSISTENCE = /\bpersistence\s*=(?!=)|\.persistence\(|\w+Persistence\b/;

type Root = ReturnType<ReturnType<ReturnType<typeof napi>['parse']>['root']>;

// Stage 1 for one file: pattern findings (inline suppressions applied) and facts.
function analyse(root: Root | undefined, text: string, rel: string, language: FileLanguage, candidates: ReadinessRule[]): Omit<CachedFile, 'hash'> {
  const findings = root && candidates.length > 0 ? withoutInlineSuppressed(matchRules(root, text, rel, candidates), text) : [];
  let facts: FileFacts;
  if (root && needsFacts(text, rel, language)) facts = language.family === 'js' ? jsFacts(root, text, rel) : pyFacts(root, text);
  else {
    facts = emptyFacts();
    facts.signals = language.family === 'js' ? /['"`](SIGTERM|SIGINT)['"`]/.test(text) : /SIGTERM/.test(text);
  }
  facts.ignoreLines = ignoreLines(text);
  if (SESSION_READ.test(text)) facts.sessionReads = true;
  if (/\bFSMContext\b|\bStatesGroup\b/.test(text)) facts.fsm = true;
  if (language.family === 'python' && PTB_PERSISTENCE.test(text)) facts.persistence = true;
  return { findings, facts };
}

// Findings in one source text (inline suppressions applied), both stages with the file as the
// whole project; used by rule tests.
export function scanText(text: string, rel: string, language: FileLanguage, rules: ReadinessRule[]): Finding[] {
  const candidates = candidateRules(familyRules(rules, language), text);
  const wantsFacts = rules.some((rule) => rule.engine !== undefined || rule.unless !== undefined);
  const root = candidates.length > 0 || (wantsFacts && needsFacts(text, rel, language)) ? napi().parse(language.parser, text).root() : undefined;
  const { findings, facts } = analyse(root, text, rel, language, candidates);
  const project = new Map<string, ProjectFile>([[rel, { rel, family: language.family, facts }]]);
  return sortFindings(projectFindings(project, findings, rules.map(ruleInfo)));
}

function withoutInlineSuppressed(findings: Finding[], text: string): Finding[] {
  if (findings.length === 0 || !text.includes('scalectl-ignore')) return findings;
  const lines = text.split('\n');
  return findings.filter((finding) => !isSuppressedInline(lines, finding.line, finding.ruleId));
}

// Scans every source file under `options.root`.
export async function scanTree(options: ScanOptions): Promise<ScanResult> {
  let rules = options.rules;
  const loadAll = () => (rules ??= loadRules());
  const rulesDir = options.rules ? undefined : defaultRulesDir();
  const version = typeof SCALECTL_VERSION === 'string' ? SCALECTL_VERSION : 'dev';
  const cache = options.cacheDir && rulesDir ? openCache(options.cacheDir, options.root, `${rulesKey(rulesDir)}:${FACTS_VERSION}:${version}`) : undefined;
  const infos: RuleInfo[] = options.rules?.map(ruleInfo) ?? cache?.rules ?? loadAll().map(ruleInfo);
  const configIgnore = makeConfigIgnore(options.ignore, new Set(infos.map((rule) => rule.id)), CATEGORIES);
  const active = infos.filter((rule) => !configIgnore.rule(rule.id, rule.category));
  const activeIds = new Set(active.map((rule) => rule.id));
  const skipped: SkippedFile[] = [];
  const onSkip = (entry: SkippedFile) => {
    if (!configIgnore.path(entry.file.replace(/\/$/, ''))) skipped.push(entry);
  };
  const files = (await walk({ root: options.root, skipDirs: options.skipDirs, maxBytes: options.maxBytes, onSkip })).filter((file) => !configIgnore.path(file.rel));
  const findings: Finding[] = [];
  const project = new Map<string, ProjectFile>();
  const seen = new Set<string>();
  let filesScanned = 0;
  let next = 0;

  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++];
      const text = await readSource(file, onSkip);
      if (text === undefined) continue;
      const hash = cache ? contentHash(text) : '';
      let result: Omit<CachedFile, 'hash'> | undefined = cache?.get(file.rel, hash);
      if (!result) {
        const candidates = candidateRules(familyRules(loadAll(), file.language), text);
        const root = candidates.length > 0 || needsFacts(text, file.rel, file.language) ? (await napi().parseAsync(file.language.parser, text)).root() : undefined;
        result = analyse(root, text, file.rel, file.language, candidates);
        cache?.set(file.rel, { hash, ...result });
      }
      seen.add(file.rel);
      findings.push(...result.findings.filter((finding) => activeIds.has(finding.ruleId)));
      project.set(file.rel, { rel: file.rel, family: file.language.family, facts: result.facts });
      filesScanned++;
      options.onProgress?.(filesScanned);
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  const all = projectFindings(project, findings, active);
  cache?.save(seen, rules ? rules.map(ruleInfo) : infos);
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { findings: sortFindings(all), filesScanned, root: options.root, skipped };
}
