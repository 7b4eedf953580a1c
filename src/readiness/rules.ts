// Loads the rule catalogue: ast-grep YAML rule files under `rules/` at the package root, one rule
// per file. ast-grep's own fields (id, language, severity, message, note, url, rule, utils,
// constraints) stay valid for `ast-grep scan`; scalectl's extras live under `metadata`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { NapiConfig } from '@ast-grep/napi';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../plan/types.js';
import { KNOWN_RULE_LANGUAGES, napi, ruleFamily, type LanguageFamily } from './languages.js';
import { findPackageRoot } from './package-root.js';

// The fixed categories of DESIGN §4.
export const CATEGORIES = [
  'polling-bot',
  'in-memory-state',
  'local-disk-state',
  'in-process-scheduler',
  'websocket-fanout',
  'session-race',
  'no-graceful-shutdown',
] as const;
// One of the fixed categories; a finding's severity.
export type Category = (typeof CATEGORIES)[number];
export type Severity = Finding['severity'];

// One loaded rule, ready to run.
export interface ReadinessRule {
  id: string;
  family: LanguageFamily;
  category: Category;
  severity: Severity;
  message: string;
  /** One whole sentence describing the rule without code placeholders (`metadata.summary`). */
  summary?: string;
  fix: string;
  url?: string;
  /** The file must contain one of these strings or the rule cannot match; skips parsing. */
  prefilter: string[];
  /** Or: the file must match this regex (`metadata.prefilterRegex`). */
  prefilterRegex?: RegExp;
  /** Polling that an environment variable selects is reported lower, naming the variable. */
  envGate: boolean;
  /**
   * `module-state` / `thread-loop`: the rule's findings come from stage 2 (facts), its YAML `rule` is
   * the ast-grep fallback. `thread-loop`: a Python thread whose target (in any module) loops forever
   * with a sleep.
   */
  engine?: 'module-state' | 'thread-loop';
  /**
   * `signal-handler`: drop the finding when any file of the project installs a SIGTERM handler.
   * `persistence`: drop it when any Python file configures a python-telegram-bot persistence.
   */
  unless?: 'signal-handler' | 'persistence';
  /** `session-read`: one level lower when no file of the project reads `ctx.session`. */
  lowerUnless?: 'session-read';
  /** `fsm-used`: reported only when some file of the project uses FSM state (aiogram `FSMContext`, `StatesGroup`). */
  requires?: 'fsm-used';
  matcher: NapiConfig;
  file: string;
}

// What stage 2, config ignores and the scan cache need of a rule (no matcher).
export type RuleInfo = Pick<ReadinessRule, 'id' | 'family' | 'category' | 'severity' | 'message' | 'fix' | 'url' | 'engine' | 'unless' | 'lowerUnless' | 'requires'>;

export function ruleInfo(rule: ReadinessRule): RuleInfo {
  const { id, family, category, severity, message, fix, url, engine, unless, lowerUnless, requires } = rule;
  return { id, family, category, severity, message, fix, url, engine, unless, lowerUnless, requires };
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

// Reads and checks one rule file; the error names the file, the key and what was expected.
export function parseRuleFile(file: string, text: string): ReadinessRule {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new Error(`Invalid readiness rule ${file}: not valid YAML: ${(error as Error).message}`);
  }
  return parseRuleDoc(file, doc);
}

// Checks one rule file's parsed YAML (see parseRuleFile).
export function parseRuleDoc(file: string, parsed: unknown): ReadinessRule {
  const fail = (what: string): never => {
    throw new Error(`Invalid readiness rule ${file}: ${what}`);
  };
  const doc = parsed as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') fail('expected a YAML mapping with id, language, rule, metadata');
  const str = (key: string, value: unknown): string => {
    if (typeof value !== 'string' || value.trim() === '') fail(`\`${key}\` must be a non-empty string, got ${JSON.stringify(value)}`);
    return value as string;
  };
  const id = str('id', doc!.id);
  const language = str('language', doc!.language);
  const family = ruleFamily(language) ?? fail(`\`language: ${language}\` is not supported; expected one of ${KNOWN_RULE_LANGUAGES.join(', ')}`);
  const severity = str('severity', doc!.severity) as Severity;
  if (!SEVERITIES.includes(severity)) fail(`\`severity: ${severity}\` must be one of ${SEVERITIES.join(', ')}`);
  const meta = (doc!.metadata ?? {}) as Record<string, unknown>;
  const category = str('metadata.category', meta.category) as Category;
  if (!CATEGORIES.includes(category)) fail(`\`metadata.category: ${category}\` must be one of ${CATEGORIES.join(', ')}`);
  if (!doc!.rule || typeof doc!.rule !== 'object') fail('`rule` must be an ast-grep rule object');
  const prefilter = meta.prefilter === undefined ? [] : meta.prefilter;
  if (!Array.isArray(prefilter) || prefilter.some((entry) => typeof entry !== 'string' || entry === '')) {
    fail('`metadata.prefilter` must be a list of non-empty strings');
  }
  let prefilterRegex: RegExp | undefined;
  if (meta.prefilterRegex !== undefined) {
    try {
      prefilterRegex = new RegExp(str('metadata.prefilterRegex', meta.prefilterRegex), 'm');
    } catch (error) {
      fail(`\`metadata.prefilterRegex\` is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  if (meta.engine !== undefined && meta.engine !== 'module-state' && meta.engine !== 'thread-loop') fail('`metadata.engine` must be `module-state` or `thread-loop` when given');
  if (meta.unless !== undefined && meta.unless !== 'signal-handler' && meta.unless !== 'persistence') fail('`metadata.unless` must be `signal-handler` or `persistence` when given');
  if (meta.requires !== undefined && meta.requires !== 'fsm-used') fail('`metadata.requires` must be `fsm-used` when given');
  if (meta.lowerUnless !== undefined && meta.lowerUnless !== 'session-read') fail('`metadata.lowerUnless` must be `session-read` when given');
  const matcher: NapiConfig = { rule: doc!.rule as NapiConfig['rule'] };
  if (doc!.utils) matcher.utils = doc!.utils as NapiConfig['utils'];
  if (doc!.constraints) matcher.constraints = doc!.constraints as NapiConfig['constraints'];
  return {
    id,
    family,
    category,
    severity,
    message: str('message', doc!.message).trim(),
    summary: meta.summary === undefined ? undefined : str('metadata.summary', meta.summary).trim(),
    fix: str('note (the fix hint)', doc!.note).trim(),
    url: typeof doc!.url === 'string' ? doc!.url : undefined,
    prefilter: prefilter as string[],
    prefilterRegex,
    envGate: meta.envGate === true,
    engine: meta.engine as ReadinessRule['engine'],
    unless: meta.unless as ReadinessRule['unless'],
    lowerUnless: meta.lowerUnless as ReadinessRule['lowerUnless'],
    requires: meta.requires as ReadinessRule['requires'],
    matcher,
    file,
  };
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYaml(path));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

const cache = new Map<string, ReadinessRule[]>();

// The folder of the shipped rules.
export function defaultRulesDir(): string {
  return join(findPackageRoot(), 'rules');
}

const keys = new Map<string, string>();

// A hash of every rule file under `dir` (the scan cache is dropped when any rule changes).
export function rulesKey(dir: string): string {
  const known = keys.get(dir);
  if (known) return known;
  const hash = createHash('sha1');
  for (const file of listYaml(dir)) hash.update(relative(dir, file).split('\\').join('/')).update('\0').update(readFileSync(file)).update('\0');
  const key = hash.digest('base64url');
  keys.set(dir, key);
  return key;
}

// The shipped rules parsed at build time (scripts/build.mjs writes dist/rules.json): YAML
// parsing is most of loading the rules. Used only while the rule files still hash to its key.
export interface PrebuiltRules {
  key: string;
  docs: { file: string; doc: unknown }[];
}

// Every rule file under `dir`, parsed (what dist/rules.json holds).
export function prebuildRules(dir: string): PrebuiltRules {
  return { key: rulesKey(dir), docs: listYaml(dir).map((file) => ({ file: relative(dir, file).split('\\').join('/'), doc: parseYaml(readFileSync(file, 'utf8')) as unknown })) };
}

function prebuilt(dir: string): PrebuiltRules | undefined {
  try {
    // (outside an installed package, e.g. the docs generator's bundle, there is no default folder)
    if (dir !== defaultRulesDir()) return undefined;
    const parsed = JSON.parse(readFileSync(join(dir, '..', 'dist', 'rules.json'), 'utf8')) as PrebuiltRules;
    return parsed.key === rulesKey(dir) ? parsed : undefined;
  } catch {
    return undefined; // not built, or built from other rule files: parse the YAML
  }
}

const PROBE_PARSER: Record<LanguageFamily, string> = { js: 'Tsx', python: 'python' };

// Compiles the rule once so a broken rule names its file at load time, not mid-scan.
function checkCompiles(rule: ReadinessRule): void {
  try {
    napi().parse(PROBE_PARSER[rule.family], '').root().findAll(rule.matcher);
  } catch (error) {
    throw new Error(`Invalid readiness rule ${rule.file}: ast-grep cannot compile it: ${(error as Error).message}`);
  }
}

// Every rule under `dir` (default: <package root>/rules); rule ids must be unique.
export function loadRules(dir: string = defaultRulesDir()): ReadinessRule[] {
  const cached = cache.get(dir);
  if (cached) return cached;
  const rules: ReadinessRule[] = [];
  const seen = new Map<string, string>();
  const docs = prebuilt(dir)?.docs.map(({ file, doc }) => () => parseRuleDoc(file, doc)) ?? listYaml(dir).map((file) => () => parseRuleFile(relative(dir, file).split('\\').join('/'), readFileSync(file, 'utf8')));
  for (const read of docs) {
    const rule = read();
    const earlier = seen.get(rule.id);
    if (earlier) throw new Error(`Duplicate readiness rule id "${rule.id}" in ${rule.file} and ${earlier}: rule ids must be unique.`);
    seen.set(rule.id, rule.file);
    checkCompiles(rule);
    rules.push(rule);
  }
  if (rules.length === 0) throw new Error(`No readiness rules found under ${dir}: expected *.yml files. Reinstall scalectl.`);
  cache.set(dir, rules);
  return rules;
}
