// `scalectl check [path]`: the readiness checker. Scans the given folder, or every service's
// `source:` in scaling.yaml, or the current folder; exit 3 when findings meet --fail-on. A service
// that scaling.yaml keeps at one instance does not fail on findings that only break replication.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT } from '../errors.js';
import type { CommandContext } from './context.js';
import type { Finding } from '../plan/types.js';
import { meetsFailOn, type FailOn, type ReadinessReport } from '../output/readiness-summary.js';

// The options commander passes (see cli/main.ts).
export interface CheckOptions {
  path?: string;
  format: 'text' | 'json' | 'sarif' | 'github';
  failOn: FailOn;
  /** Append a Markdown summary to $GITHUB_STEP_SUMMARY. */
  summary?: boolean;
  /** `--threads`: worker threads for a large scan, as typed. */
  threads?: string;
}

interface Target {
  service?: string;
  root: string;
  ignore?: string[];
  /** `.scalectl/` next to scaling.yaml: the scan cache (none without a scaling.yaml). */
  cacheDir?: string;
  /** The most instances scaling.yaml lets the service run (replicas, autoscale max, schedules). */
  peak?: number;
}

// Categories that break only when a second instance runs; at one instance they are fine. Session
// races and missing graceful shutdown hurt a single instance too, so they keep their severity.
export const REPLICATION_ONLY: ReadonlySet<string> = new Set(['polling-bot', 'in-memory-state', 'local-disk-state', 'in-process-scheduler', 'websocket-fanout']);

// For a service that never runs more than one instance: replication-only findings become info,
// saying why, so they are shown but do not fail the check.
export function atPeak(findings: Finding[], service: string, peak: number): Finding[] {
  if (peak > 1) return findings;
  return findings.map((finding) =>
    REPLICATION_ONLY.has(finding.category) && finding.severity !== 'info'
      ? { ...finding, severity: 'info', message: `Fine at 1 instance (service "${service}" runs at most ${peak} in scaling.yaml); with more: ${finding.message}` }
      : finding,
  );
}

async function targetsOf(options: CheckOptions, ctx: CommandContext): Promise<Target[]> {
  const { findConfigFile, loadConfig } = await import('../config/load.js');
  const { peakInstances } = await import('../plan/plan.js');
  const cwd = ctx.io.cwd;
  const hasConfig = ctx.globals.file !== undefined || findConfigFile(cwd) !== undefined;
  const config = hasConfig ? await loadConfig({ file: ctx.globals.file, cwd, env: ctx.io.env }) : undefined;
  if (config) (await import('./environment.js')).announceEnvironment(config, ctx);
  const services = config?.services ?? [];
  const cacheDir = config ? join(config.dir, '.scalectl') : undefined;
  if (options.path !== undefined) {
    const root = resolve(cwd, options.path);
    // A path that is some service's source keeps that service's readiness.ignore.
    const owner = services.find((service) => service.source !== undefined && resolve(service.source) === root);
    return [{ service: owner?.name, root, ignore: owner?.readiness?.ignore, cacheDir, peak: owner ? peakInstances(owner.spec) : undefined }];
  }
  const withSource = services.filter((service) => service.source !== undefined);
  if (withSource.length > 0) return withSource.map((service) => ({ service: service.name, root: service.source!, ignore: service.readiness?.ignore, cacheDir, peak: peakInstances(service.spec) }));
  if (hasConfig) ctx.warn('no service in scaling.yaml names a `source:` folder; scanning the current folder instead (add `source: ./path` to a service, or pass a path).');
  return [{ root: cwd }];
}

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// Runs the check and prints the report to stdout; progress goes to stderr on a TTY only.
export async function run(options: CheckOptions, ctx: CommandContext): Promise<number> {
  const { scan } = await import('../readiness/index.js');
  const cwd = ctx.io.cwd;
  let threads: number | undefined;
  if (options.threads !== undefined) {
    threads = Number(options.threads);
    if (!/^\d+$/.test(options.threads.trim()) || threads > 64) {
      const { UsageError } = await import('../errors.js');
      throw new UsageError(`--threads must be a whole number from 0 to 64, got "${options.threads}". Use 0 for no worker threads, or leave it out for one per CPU.`);
    }
  }
  const targets = await targetsOf(options, ctx);
  const showProgress = Boolean(ctx.io.stderr.isTTY) && !ctx.globals.quiet;
  const reports: ReadinessReport[] = [];
  for (const target of targets) {
    if (!existsSync(target.root) || !statSync(target.root).isDirectory()) {
      const { UsageError } = await import('../errors.js');
      const who = target.service ? `the source of service "${target.service}"` : 'the path to check';
      throw new UsageError(`${who} is not a folder: ${target.root}. Pass an existing source folder (scalectl check ./src) or fix \`source:\` in scaling.yaml.`);
    }
    let lastDraw = 0;
    const onProgress = showProgress
      ? (filesScanned: number) => {
          const now = Date.now();
          if (now - lastDraw < 100) return;
          lastDraw = now;
          ctx.io.stderr.write(`\r\u001b[2Kscanning ${target.service ?? displayRoot(target.root, cwd)}: ${filesScanned} files`);
        }
      : undefined;
    if (ctx.signal.aborted) break;
    const result = await scan({ root: target.root, ignore: target.ignore, onProgress, cacheDir: target.cacheDir, threads });
    if (showProgress) ctx.io.stderr.write('\r\u001b[2K');
    const skipped = result.skipped;
    // In text the report lists them; other formats keep stdout machine-readable, so say it on stderr.
    if (options.format !== 'text') for (const entry of skipped) ctx.warn(`skipped ${displayRoot(target.root, cwd)}/${entry.file} (${entry.reason}: ${entry.detail})`);
    const findings = target.service !== undefined && target.peak !== undefined ? atPeak(result.findings, target.service, target.peak) : result.findings;
    reports.push({ service: target.service, root: result.root, filesScanned: result.filesScanned, findings, skipped });
  }
  const rendered = await render(options.format, reports, ctx);
  if (typeof rendered === 'string') ctx.out(rendered);
  else ctx.json(rendered.document);
  if (options.summary) {
    const { appendStepSummary, checkMarkdown } = await import('../output/summary.js');
    const findings = reports.flatMap((r) => r.findings.map((f) => ({ ...f, file: repoPath(r.root, f.file, cwd) })));
    appendStepSummary(checkMarkdown(findings), ctx.io.env);
  }
  return meetsFailOn(reports, options.failOn) ? EXIT.readiness : EXIT.ok;
}

function displayRoot(root: string, cwd: string): string {
  const rel = relative(cwd, root);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? root : rel.split(sep).join('/');
}

// A finding's path as the repository sees it: relative to cwd when inside it, else absolute.
function repoPath(root: string, file: string, cwd: string): string {
  const rel = relative(cwd, join(root, file));
  return rel.startsWith('..') || isAbsolute(rel) ? join(root, file) : rel.split(sep).join('/');
}

// Text for the text and GitHub formats; a document (printed as JSON) for json and sarif.
async function render(format: CheckOptions['format'], reports: ReadinessReport[], ctx: CommandContext): Promise<string | { document: unknown }> {
  const cwd = ctx.io.cwd;
  if (format === 'json') return { document: (await import('../output/readiness-json.js')).readinessJsonBody(reports) };
  if (format === 'github') return (await import('../output/readiness-github.js')).renderReadinessGithub(reports, (root, file) => repoPath(root, file, cwd));
  if (format === 'sarif') {
    const { readinessSarifLog } = await import('../output/readiness-sarif.js');
    const { loadRules } = await import('../readiness/rules.js');
    const { findPackageRoot } = await import('../readiness/package-root.js');
    const uriOf = (root: string, file: string) => {
      const path = repoPath(root, file, cwd);
      return isAbsolute(path) ? pathToFileURL(path).href : path.split('/').map(encodeURIComponent).join('/');
    };
    return { document: readinessSarifLog(reports, loadRules(), { version: packageVersion(findPackageRoot()), uriOf }) };
  }
  const { renderReadinessText } = await import('../output/readiness-text.js');
  const read = (root: string, file: string) => {
    try {
      return readFileSync(join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  return renderReadinessText(reports, { style: ctx.style, read, displayRoot: (root) => displayRoot(root, cwd) });
}
