#!/usr/bin/env node
// Scores the built readiness checker on labelled public repositories.
//
//   node scripts/readiness-corpus.mjs <checkouts> [--labels <file>] [--json] [--details] [--scalectl <checkout>]
//
// <checkouts> holds one folder per repository, named owner+name, extracted at the labelled
// commit, e.g.  git --git-dir=<mirror> archive <commit> | tar -x -C <checkouts>/owner+name
// Nothing is fetched here (CI has no network): repositories that are missing are listed and the
// ones present are scored. Run `npm run build` first; the checker runs as `scalectl check <dir>
// --format json --fail-on never`; --scalectl scores the build of another checkout (e.g. an older
// commit in a git worktree) with these labels. Matching rules: scripts/readiness-corpus-score.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoriesIn, markdownTable, scoreRepo, summarize, validateLabels } from './readiness-corpus-score.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(`${message}\nusage: node scripts/readiness-corpus.mjs <checkouts-folder> [--labels <file>] [--json] [--details] [--scalectl <checkout>]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { labels: join(root, 'test/readiness/corpus/labels.json'), json: false, details: false, checkouts: undefined, scalectl: root };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--details') options.details = true;
    else if (arg === '--labels') options.labels = argv[++i] ?? usage('--labels needs a file');
    else if (arg === '--scalectl') options.scalectl = resolve(argv[++i] ?? usage('--scalectl needs a scalectl checkout'));
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (options.checkouts === undefined) options.checkouts = resolve(arg);
    else usage(`unexpected argument ${arg}`);
  }
  if (options.checkouts === undefined) usage('missing the checkouts folder');
  return options;
}

const options = parseArgs(process.argv.slice(2));
const cli = join(options.scalectl, 'bin/scalectl.js');
if (!existsSync(join(options.scalectl, 'dist/cli.js'))) usage(`${join(options.scalectl, 'dist/cli.js')} is missing: run \`npm run build\` there first`);
if (!existsSync(options.checkouts) || !statSync(options.checkouts).isDirectory()) usage(`${options.checkouts} is not a folder`);
const doc = JSON.parse(readFileSync(options.labels, 'utf8'));
const categories = categoriesIn(join(root, 'rules'));
const problems = validateLabels(doc, categories);
if (problems.length > 0) usage(`${options.labels} is not valid:\n  ${problems.join('\n  ')}`);

const scores = [];
const missing = [];
for (const repo of doc.repos) {
  const dir = join(options.checkouts, repo.repo.replace('/', '+'));
  if (!existsSync(dir)) {
    missing.push(repo);
    continue;
  }
  const out = execFileSync(process.execPath, [cli, 'check', dir, '--format', 'json', '--fail-on', 'never'], { cwd: dir, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  const findings = JSON.parse(out).roots.flatMap((r) => r.findings);
  scores.push({ repo: repo.repo, commit: repo.commit, ...scoreRepo(repo.labels, findings) });
}

const summary = summarize(scores, categories);
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: options.scalectl, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}

if (options.json) {
  process.stdout.write(`${JSON.stringify({ scalectl: commit, scored: scores.length, missing: missing.map((r) => r.repo), summary, repos: options.details ? scores : undefined }, null, 2)}\n`);
} else {
  const lines = [`scalectl ${commit}: ${scores.length} of ${doc.repos.length} labelled repositories scored`];
  if (missing.length > 0) {
    lines.push(`missing (not scored): ${missing.length}`);
    for (const repo of missing) lines.push(`  ${repo.repo} @ ${repo.commit} -> expected at ${join(options.checkouts, repo.repo.replace('/', '+'))}`);
  }
  lines.push('', markdownTable(summary));
  if (options.details) {
    for (const score of scores) {
      const misses = score.labels.filter((l) => l.status === 'missed' || l.status === 'found-too-low');
      const falses = score.findings.filter((f) => f.verdict === 'false');
      if (misses.length === 0 && falses.length === 0) continue;
      lines.push('', `## ${score.repo}`);
      for (const { label, status, severity } of misses) lines.push(`  ${status === 'missed' ? 'MISS' : `LOW (${severity})`} ${label.category} ${label.severity} ${label.file}:${label.line}${label.note ? ` — ${label.note}` : ''}`);
      for (const { finding } of falses) lines.push(`  FALSE ${finding.category} ${finding.severity} ${finding.file}:${finding.line} ${finding.ruleId}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = missing.length > 0 && scores.length === 0 ? 1 : 0;
