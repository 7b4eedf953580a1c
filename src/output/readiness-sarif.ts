// `scalectl check --format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
import type { Finding } from '../plan/types.js';
import type { ReadinessReport } from './readiness-summary.js';

// What SARIF needs to know about each rule (from the rule catalogue).
export interface SarifRuleInfo {
  id: string;
  category: string;
  severity: Finding['severity'];
  message: string;
  summary?: string;
  fix: string;
  url?: string;
}

const LEVEL: Record<Finding['severity'], 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

// The rule's one-sentence summary, or the message's first whole sentence (a `.` or `:` followed by
// a space ends it, so "Socket.IO" stays whole); a sentence ending in a colon ends in a full stop.
function firstSentence(rule: SarifRuleInfo): string {
  if (rule.summary) return rule.summary;
  const one = rule.message.replace(/\s+/g, ' ').trim();
  return (one.match(/^.*?[.:](?=\s|$)/)?.[0] ?? one).replace(/:$/, '.');
}

// The message with its code placeholders (`$CALL`) shown as an ellipsis.
const withoutPlaceholders = (text: string) => text.replace(/\$[A-Z_][A-Z0-9_]*/g, '…');

// The SARIF log; `uriOf` gives each file's URI relative to the repository (or an absolute file URI).
export function renderReadinessSarif(reports: ReadinessReport[], rules: SarifRuleInfo[], options: SarifOptions): string {
  return JSON.stringify(readinessSarifLog(reports, rules, options), null, 2);
}

type SarifOptions = { version: string; uriOf: (root: string, file: string) => string };

// The SARIF log renderReadinessSarif prints (check prints it with its strings redacted: CommandContext.json).
export function readinessSarifLog(reports: ReadinessReport[], rules: SarifRuleInfo[], options: SarifOptions) {
  const used = new Set(reports.flatMap((report) => report.findings.map((finding) => finding.ruleId)));
  const listed = rules.filter((rule) => used.has(rule.id));
  const index = new Map(listed.map((rule, i) => [rule.id, i]));
  const results = reports.flatMap((report) =>
    report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      ...(index.has(finding.ruleId) ? { ruleIndex: index.get(finding.ruleId) } : {}),
      level: LEVEL[finding.severity],
      message: { text: `${finding.message} Fix: ${finding.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: options.uriOf(report.root, finding.file) },
            region: { startLine: finding.line, startColumn: finding.column },
          },
        },
      ],
      ...(finding.related?.length
        ? {
            relatedLocations: finding.related.map((site, id) => ({
              id,
              physicalLocation: { artifactLocation: { uri: options.uriOf(report.root, site.file) }, region: { startLine: site.line, startColumn: site.column } },
              message: { text: site.message },
            })),
          }
        : {}),
      properties: { category: finding.category, fix: finding.fix, ...(report.service ? { service: report.service } : {}) },
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'scalectl',
            version: options.version,
            rules: listed.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: firstSentence(rule) },
              fullDescription: { text: withoutPlaceholders(rule.message) },
              help: { text: rule.fix, markdown: `**Fix:** ${rule.fix}${rule.url ? `\n\n[Documentation](${rule.url})` : ''}` },
              ...(rule.url ? { helpUri: rule.url } : {}),
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { category: rule.category, tags: ['scalability', 'readiness', rule.category] },
            })),
          },
        },
        results,
      },
    ],
  };
  return log;
}
