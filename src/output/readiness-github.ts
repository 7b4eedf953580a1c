// `scalectl check --format github`: GitHub Actions workflow commands that annotate the diff.
import type { Finding } from '../plan/types.js';
import type { ReadinessReport } from './readiness-summary.js';

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

// Escaping per the workflow-command spec: data escapes % CR LF.
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
// Property values also escape the separators `:` and `,`.
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// One `::error file=…,line=…,col=…,title=…::message` line per finding; `pathOf` maps to a repo path.
export function renderReadinessGithub(reports: ReadinessReport[], pathOf: (root: string, file: string) => string): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const finding of report.findings) {
      const props = `file=${escapeProperty(pathOf(report.root, finding.file))},line=${finding.line},col=${finding.column},title=${escapeProperty(`${finding.ruleId} (${finding.category})`)}`;
      lines.push(`::${COMMAND[finding.severity]} ${props}::${escapeData(`${finding.message}\nFix: ${finding.fix}`)}`);
    }
  }
  return lines.join('\n');
}
