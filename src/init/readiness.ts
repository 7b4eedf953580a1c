// The readiness step of init: scan a service's source, explain what breaks with N replicas,
// and propose running it as one instance until that is fixed.
import type { Finding } from '../plan/types.js';
import type { ServicePlan } from './model.js';

export interface SourceCheck { root: string; filesScanned: number; errors: Finding[]; warnings: Finding[] }

// One line per category: what goes wrong when the code runs as several replicas (DESIGN §4).
export const CATEGORY_EXPLAINED: Record<string, string> = {
  'polling-bot': 'every replica pulls the same updates and answers them N times',
  'in-memory-state': 'sessions, carts, counters or rate limits kept in process memory differ per replica',
  'local-disk-state': 'files on the instance\'s disk are invisible to the other replicas and lost on scale-in',
  'in-process-scheduler': 'cron-like jobs run once per replica',
  'websocket-fanout': 'a broadcast reaches only the clients of one replica',
  'session-race': 'concurrent updates of one chat overwrite each other\'s session writes',
  'no-graceful-shutdown': 'long work is killed on scale-in with nothing to resume it',
};

// Scans `root` with the readiness checker (loaded only now: it pulls in ast-grep).
export async function checkSource(root: string, ignore?: string[]): Promise<SourceCheck> {
  const { scan } = await import('../readiness/index.js');
  const result = await scan({ root, ignore });
  return {
    root: result.root,
    filesScanned: result.filesScanned,
    errors: result.findings.filter((f) => f.severity === 'error'),
    warnings: result.findings.filter((f) => f.severity === 'warning'),
  };
}

// Lines a person reads before deciding: per category what breaks, then where (at most `limit`).
export function explainFindings(check: SourceCheck, source: string, limit = 4): string[] {
  const lines: string[] = [];
  const categories = [...new Set(check.errors.map((f) => f.category))];
  for (const category of categories) lines.push(`${category}: ${CATEGORY_EXPLAINED[category] ?? 'breaks with several replicas'}.`);
  for (const finding of check.errors.slice(0, limit)) {
    lines.push(`  ${source.replace(/\/$/, '')}/${finding.file}:${finding.line}:${finding.column} ${finding.ruleId}`);
    lines.push(`    fix: ${finding.fix}`);
  }
  if (check.errors.length > limit) lines.push(`  …and ${check.errors.length - limit} more (scalectl check ${source})`);
  if (check.warnings.length) lines.push(`(${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'} too: scalectl check ${source})`);
  return lines;
}

// The proposal: a fixed single instance, with a comment saying why and how to lift it.
export function holdAtOne(service: ServicePlan, check: SourceCheck): ServicePlan {
  const categories = [...new Set(check.errors.map((f) => f.category))].join(', ');
  return {
    ...service,
    scaling: { kind: 'fixed', replicas: 1 },
    notes: [
      ...service.notes,
      `Held at 1 instance: the readiness check found ${check.errors.length} error${check.errors.length === 1 ? '' : 's'} (${categories}).`,
      `Fix them (scalectl check ${service.source ?? '.'}), then: scalectl set ${service.name} replicas=2`,
    ],
  };
}
