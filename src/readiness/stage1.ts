// Stage 1 for one file: the pattern rules and the per-file facts. Pure over the file's text; runs
// on the main thread or in a scan worker (worker.ts), with the same result.
import type { CachedFile } from './cache.js';
import { emptyFacts, type FileFacts } from './facts.js';
import { jsEntryCapable, jsFacts, jsNeedsFacts } from './facts-js.js';
import { pyFacts, pyNeedsFacts } from './facts-python.js';
import { napi, type FileLanguage } from './languages.js';
import { candidateRules, matchRules } from './match.js';
import type { ReadinessRule } from './rules.js';
import { isSuppressedInline } from './suppress.js';
import type { Finding } from '../plan/types.js';

// What stage 1 finds in one file (cached by content hash).
export type FileResult = Omit<CachedFile, 'hash'>;

export type Root = ReturnType<ReturnType<ReturnType<typeof napi>['parse']>['root']>;

const byFamily = new WeakMap<ReadinessRule[], Map<string, ReadinessRule[]>>();

// The pattern rules of a file's family (fact-engine rules run in stage 2); the same array for the
// same rules and family, so per-list work (candidateRules' needle regex) is done once.
export function familyRules(rules: ReadinessRule[], language: FileLanguage): ReadinessRule[] {
  let families = byFamily.get(rules);
  if (!families) byFamily.set(rules, (families = new Map()));
  let selected = families.get(language.family);
  if (!selected) families.set(language.family, (selected = rules.filter((rule) => rule.family === language.family && rule.engine === undefined)));
  return selected;
}

export function needsFacts(text: string, rel: string, language: FileLanguage): boolean {
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

function withoutInlineSuppressed(findings: Finding[], text: string): Finding[] {
  if (findings.length === 0 || !text.includes('scalectl-ignore')) return findings;
  const lines = text.split('\n');
  return findings.filter((finding) => !isSuppressedInline(lines, finding.line, finding.ruleId));
}

// Whether a file's syntax facts are extracted now, later if stage 2 asks (JS files that cannot
// hold an entry point: jsEntryCapable), or never (nothing in the text can make them matter).
export type FactsWhen = 'now' | 'deferred' | 'none';

export function factsWhen(text: string, rel: string, language: FileLanguage, eager = false): FactsWhen {
  if (!needsFacts(text, rel, language)) return 'none';
  return eager || language.family !== 'js' || jsEntryCapable(text, rel) ? 'now' : 'deferred';
}

// Pattern findings (inline suppressions applied) and facts of one parsed file. `root` is absent
// when neither a candidate rule nor the fact extractor needs the syntax tree.
export function analyse(root: Root | undefined, text: string, rel: string, language: FileLanguage, candidates: ReadinessRule[], when: FactsWhen): FileResult {
  const findings = root && candidates.length > 0 ? withoutInlineSuppressed(matchRules(root, text, rel, candidates), text) : [];
  let facts: FileFacts;
  if (root && when === 'now') facts = language.family === 'js' ? jsFacts(root, text, rel, true) : pyFacts(root, text);
  else {
    facts = emptyFacts();
    facts.signals = language.family === 'js' ? /['"`](SIGTERM|SIGINT)['"`]/.test(text) : /SIGTERM/.test(text);
    if (when === 'deferred') facts.deferred = true;
  }
  facts.ignoreLines = ignoreLines(text);
  if (SESSION_READ.test(text)) facts.sessionReads = true;
  if (/\bFSMContext\b|\bStatesGroup\b/.test(text)) facts.fsm = true;
  if (language.family === 'python' && PTB_PERSISTENCE.test(text)) facts.persistence = true;
  return { findings, facts };
}

// The rules that may match `text`, when its facts are extracted, and whether it must be parsed.
// `eager`: extract deferrable facts now (stage 2 asked for them, or the caller wants every fact).
export function plan(text: string, rel: string, language: FileLanguage, rules: ReadinessRule[], wantsFacts = true, eager = false): { candidates: ReadinessRule[]; facts: FactsWhen; parse: boolean } {
  const candidates = candidateRules(familyRules(rules, language), text);
  const facts = wantsFacts ? factsWhen(text, rel, language, eager) : 'none';
  return { candidates, facts, parse: candidates.length > 0 || facts === 'now' };
}

// Stage 1 for one file, parsing on the calling thread.
export function analyseText(text: string, rel: string, language: FileLanguage, rules: ReadinessRule[], wantsFacts = true, eager = false): FileResult {
  const { candidates, facts, parse } = plan(text, rel, language, rules, wantsFacts, eager);
  return analyse(parse ? napi().parse(language.parser, text).root() : undefined, text, rel, language, candidates, facts);
}
