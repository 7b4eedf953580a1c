// `scalectl check --format json`: the DESIGN §4 finding records per scanned root, plus counts.
import { countSeverities, type ReadinessReport } from './readiness-summary.js';

// Bumped when the JSON shape changes incompatibly.
export const READINESS_JSON_VERSION = 1;

// Pretty-printed JSON; finding fields are ruleId, category, severity, file, line, column, message, fix,
// and `related` (other places of the finding, e.g. write sites) when there are any; `skipped` lists
// the files that could not be read ({ file, reason, detail }).
export function renderReadinessJson(reports: ReadinessReport[]): string {
  return JSON.stringify(readinessJsonBody(reports), null, 2);
}

// The document renderReadinessJson prints (check prints it with its strings redacted: CommandContext.json).
export function readinessJsonBody(reports: ReadinessReport[]) {
  return {
    formatVersion: READINESS_JSON_VERSION,
    roots: reports.map((report) => ({
      ...(report.service ? { service: report.service } : {}),
      root: report.root,
      filesScanned: report.filesScanned,
      findings: report.findings.map(({ ruleId, category, severity, file, line, column, message, fix, related }) => ({ ruleId, category, severity, file, line, column, message, fix, ...(related?.length ? { related } : {}) })),
      skipped: report.skipped ?? [],
    })),
    summary: countSeverities(reports),
  };
}
