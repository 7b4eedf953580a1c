// Shared by the readiness renderers: one scanned root, counts, and which findings meet --fail-on.
import type { SkippedFile } from '../readiness/walker.js';
import type { Finding } from '../plan/types.js';

// One scanned folder (a service's source or the path given to `check`).
export interface ReadinessReport {
  /** The service whose `source` this is, when it came from scaling.yaml. */
  service?: string;
  /** Absolute path of the scanned root. */
  root: string;
  filesScanned: number;
  findings: Finding[];
  /** Files the scan could not read (relative path, reason, detail); it went on without them. */
  skipped?: SkippedFile[];
}

// The --fail-on threshold.
export type FailOn = 'error' | 'warning' | 'never';

// Counts per severity over every report.
export function countSeverities(reports: ReadinessReport[]): Record<Finding['severity'], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const report of reports) for (const finding of report.findings) counts[finding.severity]++;
  return counts;
}

// True when some finding is at least as severe as --fail-on.
export function meetsFailOn(reports: ReadinessReport[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const counts = countSeverities(reports);
  return failOn === 'error' ? counts.error > 0 : counts.error + counts.warning > 0;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

// "2 errors, 1 warning, 0 info in 3 files (120 files scanned)".
export function summaryLine(reports: ReadinessReport[]): string {
  const counts = countSeverities(reports);
  const files = new Set(reports.flatMap((report) => report.findings.map((finding) => `${report.root}\u0000${finding.file}`))).size;
  const scanned = reports.reduce((sum, report) => sum + report.filesScanned, 0);
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${plural(files, 'file')} (${plural(scanned, 'file')} scanned).`;
}
