// Scores readiness findings against hand-made labels (pure, but for categoriesIn). Used by
// scripts/readiness-corpus.mjs and by its unit test.
//
// Matching tolerance: a finding matches a label when the category is the same, the file is the
// same and the finding's line is the label's line or one of its `related` lines (the write sites,
// the call that starts the bot, the second half of a declaration). `related` entries are line
// numbers in the label's file or "path:line" strings for sites in other files (a module variable
// written from a handler in another module).
//
// Severities: a label's `severity` is what a reviewer expects (error | warning | info), or `none`
// for a finding that a reviewer rejects (kept to document false findings). Recall counts the
// labels expected at warning or error; a label is found when a finding at warning or error matches
// it (a matching info finding is reported as "found too low"). Precision counts findings at
// warning or error: true when they match a label that is not `none`, duplicate when that label
// was already matched, false otherwise. Info findings are advisory and left out of both.

import { readdirSync } from 'node:fs';

// The category vocabulary: one folder per category under rules/.
export function categoriesIn(rulesDir) {
  return readdirSync(rulesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

export const LABEL_SEVERITIES = ['error', 'warning', 'info', 'none'];
const RANK = { none: 0, info: 1, warning: 2, error: 3 };

// Every "file:line" a label accepts.
export function labelSites(label) {
  const sites = new Set([`${label.file}:${label.line}`]);
  for (const site of label.related ?? []) sites.add(typeof site === 'number' ? `${label.file}:${site}` : site);
  return sites;
}

// Problems in a labels document, as sentences (empty when valid).
export function validateLabels(doc, categories) {
  const problems = [];
  if (!doc || !Array.isArray(doc.repos)) return ['labels: expected an object with a `repos` array'];
  const seen = new Set();
  doc.repos.forEach((repo, i) => {
    const where = `repos[${i}]${repo && repo.repo ? ` (${repo.repo})` : ''}`;
    if (typeof repo.repo !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(repo.repo)) problems.push(`${where}: repo must be "owner/name"`);
    if (seen.has(repo.repo)) problems.push(`${where}: listed twice`);
    seen.add(repo.repo);
    if (typeof repo.commit !== 'string' || !/^[0-9a-f]{40}$/.test(repo.commit)) problems.push(`${where}: commit must be 40 hex digits`);
    if (!Array.isArray(repo.labels)) problems.push(`${where}: labels must be an array`);
    (repo.labels ?? []).forEach((label, j) => {
      const at = `${where}.labels[${j}]`;
      if (!categories.includes(label.category)) problems.push(`${at}: unknown category "${label.category}" (one of ${categories.join(', ')})`);
      if (!LABEL_SEVERITIES.includes(label.severity)) problems.push(`${at}: severity must be one of ${LABEL_SEVERITIES.join(', ')}`);
      if (typeof label.file !== 'string' || label.file === '' || label.file.startsWith('/')) problems.push(`${at}: file must be a path relative to the repository`);
      if (!Number.isInteger(label.line) || label.line < 1) problems.push(`${at}: line must be a positive integer`);
      for (const site of label.related ?? []) {
        if (!(Number.isInteger(site) && site > 0) && !(typeof site === 'string' && /^[^:]+:\d+$/.test(site))) problems.push(`${at}: related entries are line numbers or "path:line"`);
      }
    });
  });
  return problems;
}

// Matches one repository's findings to its labels.
export function scoreRepo(labels, findings) {
  const sites = labels.map(labelSites);
  const hits = labels.map(() => []);
  const results = findings.map((finding) => {
    const key = `${finding.file}:${finding.line}`;
    const candidates = labels.map((label, i) => i).filter((i) => labels[i].category === finding.category && sites[i].has(key));
    // Prefer a label nothing matched yet, then a real problem over a rejected one.
    candidates.sort((a, b) => (hits[a].length === 0 ? 0 : 1) - (hits[b].length === 0 ? 0 : 1) || RANK[labels[b].severity] - RANK[labels[a].severity]);
    const index = candidates[0];
    let verdict;
    if (finding.severity === 'info') verdict = 'info';
    else if (index === undefined || labels[index].severity === 'none') verdict = 'false';
    else verdict = hits[index].some((f) => f.severity !== 'info') ? 'duplicate' : 'true';
    if (index !== undefined) hits[index].push(finding);
    const falseError = finding.severity === 'error' && (index === undefined || RANK[labels[index].severity] < RANK.error);
    return { finding, label: index === undefined ? undefined : labels[index], verdict, falseError };
  });
  const labelResults = labels.map((label, i) => {
    const strong = hits[i].filter((f) => f.severity !== 'info');
    let status;
    if (label.severity === 'none' || label.severity === 'info') status = 'not-counted';
    else if (strong.length > 0) status = 'found';
    else if (hits[i].length > 0) status = 'found-too-low';
    else status = 'missed';
    const best = strong.concat(hits[i]).sort((a, b) => RANK[b.severity] - RANK[a.severity])[0];
    return { label, status, severity: best?.severity };
  });
  return { findings: results, labels: labelResults };
}

function emptyCounts() {
  return { expected: 0, found: 0, foundTooLow: 0, missed: 0, severityAgrees: 0, truePositives: 0, falsePositives: 0, duplicates: 0, info: 0, falseErrors: 0 };
}

// Sums repository scores per category and overall; recall/precision are undefined without data.
export function summarize(repoScores, categories) {
  const byCategory = Object.fromEntries(categories.map((c) => [c, emptyCounts()]));
  for (const score of repoScores) {
    for (const { label, status, severity } of score.labels) {
      if (status === 'not-counted') continue;
      const c = byCategory[label.category];
      c.expected++;
      if (status === 'found') c.found++;
      if (status === 'found-too-low') c.foundTooLow++;
      if (status === 'missed') c.missed++;
      if (status === 'found' && severity === label.severity) c.severityAgrees++;
    }
    for (const { finding, verdict, falseError } of score.findings) {
      const c = byCategory[finding.category];
      if (!c) continue;
      if (verdict === 'true') c.truePositives++;
      if (verdict === 'false') c.falsePositives++;
      if (verdict === 'duplicate') c.duplicates++;
      if (verdict === 'info') c.info++;
      if (falseError) c.falseErrors++;
    }
  }
  const overall = emptyCounts();
  for (const c of Object.values(byCategory)) for (const key of Object.keys(overall)) overall[key] += c[key];
  const withRates = (c) => ({
    ...c,
    recall: c.expected === 0 ? undefined : c.found / c.expected,
    precision: c.truePositives + c.falsePositives === 0 ? undefined : c.truePositives / (c.truePositives + c.falsePositives),
  });
  return {
    categories: Object.fromEntries(Object.entries(byCategory).map(([k, c]) => [k, withRates(c)])),
    overall: withRates(overall),
  };
}

const pct = (x) => (x === undefined ? '–' : x.toFixed(2));

// The summary as a Markdown table (the docs page embeds it).
export function markdownTable(summary) {
  const rows = [
    '| category | labels | found | recall | true | false | precision | false errors | found too low | duplicates |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (name, c) => `| ${name} | ${c.expected} | ${c.found} | ${pct(c.recall)} | ${c.truePositives} | ${c.falsePositives} | ${pct(c.precision)} | ${c.falseErrors} | ${c.foundTooLow} | ${c.duplicates} |`;
  for (const [category, counts] of Object.entries(summary.categories)) rows.push(row(category, counts));
  rows.push(row('**overall**', summary.overall));
  return rows.join('\n');
}
