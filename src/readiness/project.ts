// Stage 2 of the analysis: project-level rules over every file's facts. Joins imports to the
// files they name, follows calls from entry points (across files, to a fixpoint), reports module
// state at its declaration with its write sites, and judges rules that need the whole project
// (a SIGTERM handler anywhere).
import { posix } from 'node:path';
import type { Finding, RelatedLocation } from '../plan/types.js';
import type { FileFacts, WriteFact } from './facts.js';
import type { LanguageFamily } from './languages.js';
import type { RuleInfo } from './rules.js';
import { isSuppressedInline } from './suppress.js';

// One scanned file's facts as stage 2 sees them.
export interface ProjectFile {
  rel: string;
  family: LanguageFamily;
  facts: FileFacts;
}

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

// The project file an import names, or undefined (a package, or a file we did not scan).
export function resolveModule(from: ProjectFile, module: string, files: Map<string, ProjectFile>): string | undefined {
  if (from.family === 'js') {
    if (!module.startsWith('.')) return undefined;
    const base = posix.normalize(posix.join(posix.dirname(from.rel), module));
    const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
    const candidates = [base, ...JS_EXTENSIONS.map((ext) => stem + ext), ...JS_EXTENSIONS.map((ext) => `${base}/index${ext}`)];
    return candidates.find((candidate) => files.has(candidate));
  }
  const dots = module.match(/^\.*/)![0].length;
  const path = module.slice(dots).split('.').filter(Boolean).join('/');
  const bases: string[] = [];
  if (dots > 0) {
    let dir = posix.dirname(from.rel);
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
    bases.push(dir === '.' ? '' : dir);
  } else {
    // absolute: from the scan root, or from any folder above the importing file (src layouts)
    let dir = posix.dirname(from.rel);
    bases.push('');
    while (dir !== '.' && dir !== '') {
      bases.push(dir);
      dir = posix.dirname(dir);
    }
  }
  for (const base of bases) {
    const joined = [base, path].filter(Boolean).join('/');
    for (const candidate of [`${joined}.py`, `${joined}/__init__.py`]) if (files.has(candidate)) return candidate;
  }
  return undefined;
}

// The files with deferred facts (facts.ts, `deferred`) that stage 2 needs: every project file an
// import of a file with extracted facts names. A function is reachable only from an entry point, and
// entry points live in files whose facts are extracted at once; every step from one (a call, a
// callback reference, a write of an imported binding) goes through an import. The caller extracts
// these files' facts and asks again, until nothing more is reached.
export function deferredReached(files: Map<string, ProjectFile>): string[] {
  const reached = new Set<string>();
  for (const file of files.values()) {
    if (file.facts.deferred) continue;
    for (const entry of file.facts.imports) {
      const target = resolveModule(file, entry.module, files);
      if (target !== undefined && files.get(target)!.facts.deferred) reached.add(target);
    }
  }
  return [...reached];
}

// Function ids in `file` that `name` (an export name) denotes.
function exportedFunction(file: ProjectFile, name: string): number | undefined {
  const entry = file.facts.exports.find((candidate) => candidate.name === name);
  if (entry?.fn !== undefined) return entry.fn;
  const local = entry?.local ?? (file.family === 'python' ? name : undefined);
  return local === undefined ? undefined : file.facts.functions.find((fn) => fn.name === local)?.id;
}

// Resolves `callee` / `callee.member` as seen in `file` to a function: [file, id].
function resolveCallee(file: ProjectFile, callee: string, member: string | undefined, files: Map<string, ProjectFile>): [string, number] | undefined {
  if (member === undefined) {
    const local = file.facts.functions.find((fn) => fn.name === callee);
    if (local) return [file.rel, local.id];
  }
  const imported = file.facts.imports.find((entry) => entry.local === callee);
  if (!imported) return undefined;
  let target = resolveModule(file, imported.module, files);
  let exportName: string | undefined;
  if (member !== undefined) {
    if (imported.name === '*' || imported.name === 'default') exportName = member;
    else if (file.family === 'python') {
      // `from . import store` then `store.remember()`: the name is a submodule
      const sub = imported.module.endsWith('.') ? `${imported.module}${imported.name}` : `${imported.module}.${imported.name}`;
      target = resolveModule(file, sub, files);
      exportName = member;
    }
  } else exportName = imported.name === '*' ? 'default' : imported.name;
  if (target === undefined || exportName === undefined) return undefined;
  const id = exportedFunction(files.get(target)!, exportName);
  return id === undefined ? undefined : [target, id];
}

const key = (rel: string, id: number) => `${rel}#${id}`;

// Every function reachable from an entry point, mapped to why it is reached ("an `app.post` handler").
export function reachableFunctions(files: Map<string, ProjectFile>): Map<string, string> {
  const reached = new Map<string, string>();
  for (const file of files.values()) {
    for (const entry of file.facts.entries) {
      if (entry.fn !== undefined) reached.set(key(file.rel, entry.fn), entry.via);
      else if (entry.ref !== undefined) {
        const target = resolveCallee(file, entry.ref, entry.refMember, files);
        if (target && !reached.has(key(...target))) reached.set(key(...target), entry.via);
      }
    }
  }
  for (let round = 0; round < 8; round++) {
    let grew = false;
    for (const file of files.values()) {
      for (const call of file.facts.calls) {
        const from = call.fns.map((id) => reached.get(key(file.rel, id))).find((via) => via !== undefined);
        if (from === undefined) continue;
        const target = resolveCallee(file, call.callee, call.member, files);
        if (!target || reached.has(key(...target))) continue;
        reached.set(key(...target), from.startsWith('a function called from ') ? from : `a function called from ${from}`);
        grew = true;
      }
    }
    if (!grew) break;
  }
  return reached;
}

const MAX_SITES = 5;

interface Site {
  file: string;
  write: WriteFact;
  via: string;
}

function writeSites(sites: Site[]): string {
  const shown = sites.slice(0, MAX_SITES).map((site) => `${site.file}:${site.write.line} (\`${site.write.code}\`)`);
  return shown.join(', ') + (sites.length > MAX_SITES ? ` and ${sites.length - MAX_SITES} more` : '');
}

// The file and binding name an imported write reaches (`cooldown.add` after
// `const { cooldown } = require('./cooldown')`), when the project declares it as a container.
function importedBinding(file: ProjectFile, write: WriteFact, files: Map<string, ProjectFile>): [string, string] | undefined {
  const entry = file.facts.imports.find((candidate) => candidate.local === write.binding);
  if (!entry) return undefined;
  let exportName = entry.name === '*' ? write.member : entry.name;
  let target = resolveModule(file, entry.module, files);
  if (target === undefined && file.family === 'python' && entry.name !== '*') {
    // `from . import loader` then `loader.user_data[…] = …` is a member write of a submodule
    target = resolveModule(file, entry.module.endsWith('.') ? `${entry.module}${entry.name}` : `${entry.module}.${entry.name}`, files);
    exportName = write.member;
  }
  if (target === undefined || exportName === undefined) return undefined;
  const declaring = files.get(target)!;
  const local = declaring.facts.exports.find((candidate) => candidate.name === exportName)?.local ?? exportName;
  const binding = declaring.facts.bindings.find((candidate) => candidate.name === local);
  if (!binding || !['array', 'object', 'map', 'set'].includes(binding.init)) return undefined;
  return [target, local];
}

// Module state written from an entry point: one finding per binding, at its declaration, with
// every write site (in its own file or in the files that import it).
function moduleStateFindings(files: Map<string, ProjectFile>, rules: Map<LanguageFamily, RuleInfo>): Finding[] {
  const reached = reachableFunctions(files);
  const sitesOf = new Map<string, Site[]>();
  for (const file of files.values()) {
    for (const write of file.facts.writes) {
      const via = write.fns.map((id) => reached.get(key(file.rel, id))).find((reason) => reason !== undefined);
      if (via === undefined) continue;
      const owner = write.imported ? importedBinding(file, write, files) : [file.rel, write.binding];
      if (!owner) continue;
      const id = `${owner[0]}\u0000${owner[1]}`;
      if (!sitesOf.has(id)) sitesOf.set(id, []);
      sitesOf.get(id)!.push({ file: file.rel, write, via });
    }
  }
  const findings: Finding[] = [];
  for (const [id, sites] of sitesOf) {
    const [rel, name] = id.split('\u0000');
    const file = files.get(rel)!;
    const rule = rules.get(file.family);
    const binding = file.facts.bindings.find((candidate) => candidate.name === name);
    if (!rule || !binding) continue;
    sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.write.line - b.write.line || a.write.column - b.write.column));
    const related: RelatedLocation[] = sites.map(({ file: siteFile, write, via }) => ({ file: siteFile, line: write.line, column: write.column, message: `\`${write.code}\` in ${via}` }));
    const where = binding.kind === 'global' ? 'Implicit global' : 'Module-level';
    const read = binding.read || sites.some((site) => site.file !== rel);
    let message = rule.message.replace(/^Module-level `\$M`/, `${where} \`${binding.name}\``).replace(/\$M/g, binding.name);
    message += ` Written in ${sites[0].via}: ${writeSites(sites)}.`;
    let severity = rule.severity;
    if (!read) {
      severity = 'info';
      message = `${where} \`${binding.name}\` is written in ${sites[0].via} but never read: nothing diverges between replicas, but it grows without bound (a leak). Written at ${writeSites(sites)}.`;
    }
    findings.push({ ruleId: rule.id, category: rule.category, severity, file: rel, line: binding.line, column: binding.column, message, fix: rule.fix, related });
  }
  return findings;
}

// Python threads whose target, resolved across modules, loops forever with a sleep: an in-process
// scheduler started once per replica.
function threadLoopFindings(files: Map<string, ProjectFile>, rule: RuleInfo | undefined): Finding[] {
  if (!rule) return [];
  const findings: Finding[] = [];
  for (const file of files.values()) {
    for (const thread of file.facts.threads ?? []) {
      const target = resolveCallee(file, thread.callee, thread.member, files);
      if (!target || !files.get(target[0])?.facts.loops?.includes(target[1])) continue;
      const name = thread.member === undefined ? thread.callee : `${thread.callee}.${thread.member}`;
      const message = rule.message.replace(/\$CALL/g, thread.code).replace(/\$T/g, name);
      findings.push({ ruleId: rule.id, category: rule.category, severity: rule.severity, file: file.rel, line: thread.line, column: thread.column, message, fix: rule.fix });
    }
  }
  return findings;
}

// Applies stage 2: adds the fact-based findings, drops per-file findings that the project
// contradicts (a polling bot "with no SIGTERM handler" when another file installs one), and
// honours `scalectl-ignore` comments on the new findings.
export function projectFindings(files: Map<string, ProjectFile>, perFile: Finding[], rules: RuleInfo[]): Finding[] {
  const factRules = new Map<LanguageFamily, RuleInfo>();
  for (const rule of rules) if (rule.engine === 'module-state') factRules.set(rule.family, rule);
  const hasSignalHandler = [...files.values()].some((file) => file.facts.signals);
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const readsSessions = [...files.values()].some((file) => file.facts.sessionReads);
  const usesFsm = [...files.values()].some((file) => file.facts.fsm);
  const hasPersistence = [...files.values()].some((file) => file.facts.persistence);
  const kept = perFile
    .filter((finding) => !(hasSignalHandler && byId.get(finding.ruleId)?.unless === 'signal-handler'))
    .filter((finding) => !(hasPersistence && byId.get(finding.ruleId)?.unless === 'persistence'))
    .filter((finding) => byId.get(finding.ruleId)?.requires !== 'fsm-used' || usesFsm)
    .map((finding) => {
      if (readsSessions || byId.get(finding.ruleId)?.lowerUnless !== 'session-read' || finding.severity === 'info') return finding;
      const lower = finding.severity === 'error' ? 'warning' : 'info';
      return { ...finding, severity: lower, message: `${finding.message} No handler in the project reads \`ctx.session\`, so nothing is lost yet: reported as a ${lower}.` } satisfies Finding;
    });
  const threadRule = rules.find((rule) => rule.engine === 'thread-loop');
  const added = [...moduleStateFindings(files, factRules), ...threadLoopFindings(files, threadRule)].filter((finding) => {
    const lines = files.get(finding.file)?.facts.ignoreLines ?? {};
    const sparse: string[] = [];
    for (const [line, text] of Object.entries(lines)) sparse[Number(line) - 1] = text;
    return !isSuppressedInline(sparse, finding.line, finding.ruleId);
  });
  return [...mergeRepeats(kept), ...added];
}

// Local-disk and in-memory pattern findings of one rule in one file are one problem (the same store
// written from many handlers or methods): the first place carries the others as related locations.
function mergeRepeats(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const finding of findings) {
    if (finding.category !== 'local-disk-state' && finding.category !== 'in-memory-state') {
      out.push(finding);
      continue;
    }
    const id = `${finding.ruleId}\u0000${finding.file}\u0000${finding.severity}`;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(finding);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => a.line - b.line || a.column - b.column);
    const [first, ...rest] = group;
    if (rest.length === 0) {
      out.push(first);
      continue;
    }
    const lines = rest.map((finding) => finding.line).join(', ');
    out.push({
      ...first,
      message: `${first.message} The same happens at line${rest.length > 1 ? 's' : ''} ${lines}.`,
      related: [...(first.related ?? []), ...rest.map((finding) => ({ file: finding.file, line: finding.line, column: finding.column, message: finding.message }))],
    });
  }
  return out;
}
