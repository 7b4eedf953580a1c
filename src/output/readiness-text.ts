// Human output of `scalectl check`: findings grouped by file, each with a code frame and the fix.
import type { Finding } from '../plan/types.js';
import type { Style } from './style.js';
import { summaryLine, type ReadinessReport } from './readiness-summary.js';

// Reads a scanned file's text for the code frame (undefined: no frame).
export type SourceReader = (root: string, file: string) => string | undefined;

function codeFrame(text: string, finding: Finding, style: Style): string[] {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, finding.line - 1);
  const last = Math.min(lines.length, finding.line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    const marker = number === finding.line ? style.red('>') : ' ';
    const content = (lines[number - 1] ?? '').replace(/\t/g, '  ');
    out.push(`  ${marker} ${style.dim(`${String(number).padStart(width)} |`)} ${content.length > 160 ? `${content.slice(0, 157)}...` : content}`);
    if (number === finding.line) {
      const indent = (lines[number - 1] ?? '').slice(0, finding.column - 1).replace(/[^\t]/g, ' ').replace(/\t/g, '  ');
      out.push(`    ${' '.repeat(width)} ${style.dim('|')} ${indent}${style.red('^')}`);
    }
  }
  return out;
}

function label(severity: Finding['severity'], style: Style): string {
  if (severity === 'error') return style.red('error');
  if (severity === 'warning') return style.yellow('warning');
  return style.cyan('info');
}

// The whole text report; `displayRoot` turns a root into what the user typed (relative to cwd).
export function renderReadinessText(reports: ReadinessReport[], options: { style: Style; read: SourceReader; displayRoot: (root: string) => string }): string {
  const { style } = options;
  const out: string[] = [];
  for (const report of reports) {
    const heading = report.service ? `${report.service} (${options.displayRoot(report.root)})` : options.displayRoot(report.root);
    if (reports.length > 1 || report.service) out.push(style.bold(heading), '');
    const byFile = new Map<string, Finding[]>();
    for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    if (byFile.size === 0) out.push(`  ${style.green('no findings')} (${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'} scanned)`, '');
    for (const [file, findings] of byFile) {
      out.push(style.bold(style.cyan(file)));
      const text = options.read(report.root, file);
      for (const finding of findings) {
        out.push(`  ${finding.line}:${finding.column}  ${label(finding.severity, style)}  ${finding.message}  ${style.dim(`[${finding.ruleId}]`)}`);
        if (text !== undefined) out.push(...codeFrame(text, finding, style));
        out.push(`  ${style.green('fix:')} ${finding.fix}`, '');
      }
    }
    const skipped = report.skipped ?? [];
    if (skipped.length > 0) {
      out.push(`${style.yellow('skipped')} ${skipped.length} file${skipped.length === 1 ? '' : 's'} that could not be read (not checked):`);
      for (const entry of skipped) out.push(`  ${entry.file}  ${style.dim(`${entry.reason}: ${entry.detail}`)}`);
      out.push('');
    }
  }
  out.push(summaryLine(reports));
  return out.join('\n');
}
