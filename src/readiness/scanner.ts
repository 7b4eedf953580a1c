// Scans a source tree in two stages. Stage 1, per file: walk, read, hash; on a cache miss,
// prefilter, parse, run the pattern rules and extract facts (stage1.ts), on worker threads when
// the scan is large (pool.ts). Stage 2, over the project: fact-based rules (project.ts). Then
// config and inline suppression.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../plan/types.js';
import { contentHash, openCache } from './cache.js';
import { FACTS_VERSION } from './facts.js';
import { napi, type FileLanguage } from './languages.js';
import { findPackageRoot } from './package-root.js';
import { POOL_MIN_FILES, startPool, type ScanPool } from './pool.js';
import type { WorkerJob } from './worker.js';
import { deferredReached, projectFindings, type ProjectFile } from './project.js';
import { CATEGORIES, defaultRulesDir, loadRules, ruleInfo, rulesKey, type ReadinessRule, type RuleInfo } from './rules.js';
import { analyse, analyseText, plan as planFile, type FileResult } from './stage1.js';
import { makeConfigIgnore } from './suppress.js';
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
  /** Worker threads for stage 1 of a large scan (default: one per CPU; 0: the main thread only). */
  threads?: number;
  /** The worker script (default: the bundled dist/readiness-worker.js; none when running from source). */
  workerFile?: string;
  /**
   * Extract every file's facts in stage 1, not only those of files that can hold an entry point
   * (stage1.ts, factsWhen): the same findings, more work. For tests that check deferral loses nothing.
   */
  eagerFacts?: boolean;
}

// What a scan found.
export interface ScanResult {
  findings: Finding[];
  filesScanned: number;
  root: string;
  /** Files that would have been scanned but could not be read, with why (the scan went on). */
  skipped: SkippedFile[];
  /** Worker threads stage 1 ran on (0: the main thread only). */
  workers: number;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

// Stable order: file, line, column, rule.
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity] || (a.ruleId < b.ruleId ? -1 : 1)));
}

// Findings in one source text (inline suppressions applied), both stages with the file as the
// whole project; used by rule tests.
export function scanText(text: string, rel: string, language: FileLanguage, rules: ReadinessRule[]): Finding[] {
  const wantsFacts = rules.some((rule) => rule.engine !== undefined || rule.unless !== undefined);
  const { findings, facts } = analyseText(text, rel, language, rules, wantsFacts);
  const project = new Map<string, ProjectFile>([[rel, { rel, family: language.family, facts }]]);
  // (a file importing itself is the only way stage 2 can ask for its deferred facts)
  if (deferredReached(project).length > 0) project.set(rel, { rel, family: language.family, facts: analyseText(text, rel, language, rules, wantsFacts, true).facts });
  return sortFindings(projectFindings(project, findings, rules.map(ruleInfo)));
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
  const threads = options.threads ?? availableParallelism();
  // Worker threads only pay off on a large scan; a small one analyses each file as it is read.
  const workerFile = threads > 0 && files.length >= POOL_MIN_FILES ? (options.workerFile ?? bundledWorker()) : undefined;
  const results: (FileResult | undefined)[] = new Array(files.length);
  const hashes: string[] = new Array(files.length);
  const fresh = new Set<number>();
  let deferred: { index: number; text: string }[] = [];
  const analysing: Promise<void>[] = [];
  let pool: ScanPool | undefined;
  let filesScanned = 0;
  let next = 0;

  const record = (index: number, result: FileResult) => {
    results[index] = result;
    filesScanned++;
    options.onProgress?.(filesScanned);
  };
  // A file the pool could not analyse (a worker that failed to start or crashed) is analysed
  // here instead: the same result, or the same error as a scan without workers.
  // `text` undefined: the worker reads the file (a scan without cache never needs the text here).
  const viaPool = (index: number, text?: string) => {
    fresh.add(index);
    const file = files[index];
    const job: WorkerJob = text === undefined ? { rel: file.rel, abs: file.abs, language: file.language } : { rel: file.rel, text, language: file.language };
    if (options.eagerFacts) job.eager = true;
    analysing.push(
      (pool as ScanPool).analyse(job).then(
        (outcome) => {
          if ('result' in outcome) record(index, outcome.result);
          else if ('skipped' in outcome) onSkip(outcome.skipped);
        },
        async () => {
          const read = text ?? (await readSource(file, onSkip));
          if (read !== undefined) await analyseHere(index, read);
        },
      ),
    );
  };
  const analyseHere = async (index: number, text: string) => {
    const file = files[index];
    fresh.add(index);
    const { candidates, facts, parse } = planFile(text, file.rel, file.language, loadAll(), true, options.eagerFacts);
    const root = parse ? (await napi().parseAsync(file.language.parser, text)).root() : undefined;
    record(index, analyse(root, text, file.rel, file.language, candidates, facts));
  };

  // Read, hash and answer from the cache; with a cache, files to analyse wait until there are
  // enough of them to be worth the worker threads, then go to the pool as they are read.
  async function reader(): Promise<void> {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      if (pool && !cache) {
        viaPool(index);
        continue;
      }
      const text = await readSource(file, onSkip);
      if (text === undefined) continue;
      const hash = cache ? contentHash(text) : '';
      hashes[index] = hash;
      const entry = cache?.get(file.rel, hash);
      // (eagerFacts: an entry whose facts were deferred is a miss)
      const cached = entry && !(options.eagerFacts && entry.facts.deferred) ? entry : undefined;
      if (cached) record(index, cached);
      else if (pool) viaPool(index, text);
      else if (!workerFile) await analyseHere(index, text);
      else if (deferred.length + 1 >= POOL_MIN_FILES) {
        pool = startPool(workerFile, loadAll(), threads);
        for (const waiting of deferred) viaPool(waiting.index, waiting.text);
        deferred = [];
        viaPool(index, text);
      } else deferred.push({ index, text });
    }
  }

  // Stage 2 asks for the deferred facts of the files that files with facts import (project.ts,
  // deferredReached). Such a file is analysed again whole, pattern findings and every fact, from
  // one read: a file edited during the scan never mixes two versions. On the pool when there is
  // one, else here; undefined when the file is gone or no longer scannable.
  const reanalyse = async (index: number): Promise<FileResult | undefined> => {
    const file = files[index];
    let text: string | undefined;
    if (cache || !pool || pool.failure) {
      text = await readSource(file, onSkip);
      if (text === undefined) return undefined;
      if (cache) hashes[index] = contentHash(text);
    }
    if (pool && !pool.failure) {
      const job: WorkerJob = text === undefined ? { rel: file.rel, abs: file.abs, language: file.language, eager: true } : { rel: file.rel, text, language: file.language, eager: true };
      const outcome = await pool.analyse(job).catch(() => undefined);
      if (outcome && 'result' in outcome) return outcome.result;
      if (outcome && 'skipped' in outcome) onSkip(outcome.skipped);
      if (outcome) return undefined;
      text ??= await readSource(file, onSkip);
      if (text === undefined) return undefined;
    }
    const { candidates, facts, parse } = planFile(text!, file.rel, file.language, loadAll(), true, true);
    const root = parse ? (await napi().parseAsync(file.language.parser, text!)).root() : undefined;
    return analyse(root, text!, file.rel, file.language, candidates, facts);
  };

  const concurrency = Math.max(1, options.concurrency ?? 8);
  // Without a cache every file is analysed: start the threads now, while the files are read.
  if (workerFile && !cache) pool = startPool(workerFile, loadAll(), threads);
  // Every scanned file's facts for stage 2, in walk order (so the result never depends on which
  // thread finished first).
  const project = new Map<string, ProjectFile>();
  const indexOf = new Map<string, number>();
  try {
    await Promise.all(Array.from({ length: concurrency }, reader));
    const inline = deferred;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let item = inline.shift(); item; item = inline.shift()) await analyseHere(item.index, item.text);
      }),
    );
    await Promise.all(analysing);
    results.forEach((result, index) => {
      if (!result) return;
      const file = files[index];
      indexOf.set(file.rel, index);
      project.set(file.rel, { rel: file.rel, family: file.language.family, facts: result.facts });
    });
    for (let wanted = deferredReached(project); wanted.length > 0; wanted = deferredReached(project)) {
      // (a bounded number at once: each holds a text, and off the pool a syntax tree)
      const limit = pool && !pool.failure && !cache ? 64 : concurrency;
      await Promise.all(
        Array.from({ length: Math.min(limit, wanted.length) }, async () => {
          for (let rel = wanted.pop(); rel !== undefined; rel = wanted.pop()) {
            const index = indexOf.get(rel)!;
            const result = await reanalyse(index);
            if (!result) {
              // gone or unscannable since it was read: no facts (it stays deferred in the cache)
              project.get(rel)!.facts = { ...results[index]!.facts, deferred: undefined };
              continue;
            }
            results[index] = result;
            project.get(rel)!.facts = result.facts;
            fresh.add(index);
          }
        }),
      );
    }
  } finally {
    await pool?.close();
  }

  const findings: Finding[] = [];
  const seen = new Set<string>();
  results.forEach((result, index) => {
    if (!result) return;
    const file = files[index];
    if (fresh.has(index)) cache?.set(file.rel, { hash: hashes[index], ...result });
    seen.add(file.rel);
    for (const finding of result.findings) if (activeIds.has(finding.ruleId)) findings.push(finding);
  });
  const all = projectFindings(project, findings, active);
  cache?.save(seen, rules ? rules.map(ruleInfo) : infos);
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { findings: sortFindings(all), filesScanned, root: options.root, skipped, workers: pool && !pool.failure ? threads : 0 };
}

// The bundled worker (dist/readiness-worker.js) when running from the build; from source (tests)
// there is none unless a test passes `workerFile`.
function bundledWorker(): string | undefined {
  if (typeof SCALECTL_VERSION !== 'string') return undefined;
  const file = join(findPackageRoot(import.meta.url), 'dist', 'readiness-worker.js');
  return existsSync(file) ? file : undefined;
}
