// scalectl validate: schema and semantic checks, every problem at file:line:col.
// Problems are thrown as ConfigError by loadConfig; the entry point prints them and exits 1.
import { readFileSync } from 'node:fs';
import { displayPath, parseConfig, parseEveryEnvironment, resolveConfigFile } from '../config/load.js';
import type { ScalingConfig } from '../config/model.js';
import { AdapterError, ConfigError, EXIT, invalidFileDocument, type Diagnostic } from '../errors.js';
import type { CommandContext } from './context.js';

// Runs the command; returns the exit code. Without --env it checks the base and every
// environment; with --env, the base and that environment.
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<number> {
  let configs: ScalingConfig[];
  try {
    const file = resolveConfigFile(ctx.globals.file, ctx.io.cwd);
    const text = readFileSync(file, 'utf8');
    configs = ctx.globals.environment !== undefined
      ? [parseConfig(text, file, ctx.io.env, ctx.io.cwd, { environment: ctx.globals.environment })]
      : parseEveryEnvironment(text, file, ctx.io.env, ctx.io.cwd);
  } catch (error) {
    // With --json an invalid file is data too: every diagnostic on stdout, still exit 1.
    if (!ctx.globals.json || !(error instanceof ConfigError)) throw error;
    ctx.json(invalidFileDocument(error.diagnostics));
    return EXIT.error;
  }
  const config = configs[0];
  const shown = displayPath(config.file, ctx.io.cwd);
  await checkTargets(configs, shown, ctx);
  const warnings = [...new Set(configs.flatMap((c) => c.warnings))];
  const environments = configs.filter((c) => c.environment !== undefined);
  if (ctx.globals.json) {
    const perEnvironment = Object.fromEntries(environments.map((c) => [c.environment, { services: c.services.length, warnings: c.warnings }]));
    ctx.json({ file: shown, valid: true, ...(config.environment ? { environment: config.environment } : {}), services: config.services.length, warnings, ...(environments.length && !config.environment ? { environments: perEnvironment } : {}) });
    return EXIT.ok;
  }
  for (const warning of warnings) ctx.warn(warning.replace(/: warning: /, ': '));
  const base = config.environment ? `environment ${config.environment} of ${shown}` : shown;
  const others = config.environment ? [] : environments.map((c) => `${c.environment} (${describeServices(c)})`);
  ctx.info(
    `${ctx.style.green('✓')} ${base} is valid: ${describeServices(config)}` +
      (warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '') +
      (others.length ? `; environments ${others.join(', ')}` : '') +
      '.',
  );
  return EXIT.ok;
}

// "3 services on 2 providers (of 3 defined)".
function describeServices(config: ScalingConfig): string {
  const providers = new Set(config.services.map((s) => s.provider));
  const defined = Object.keys(config.providers).length - (config.providers.mock && !config.services.some((s) => s.provider === 'mock') ? 1 : 0);
  return `${config.services.length} service${config.services.length === 1 ? '' : 's'} on ${providers.size} provider${providers.size === 1 ? '' : 's'}` +
    (defined > providers.size ? ` (of ${defined} defined)` : '');
}

// Each service's `target:` in its adapter's syntax. An adapter that cannot start here (a
// third-party module missing, say) is reported by plan instead; validate stays offline and
// never loads third-party adapter code (docs/limits-and-trust.md).
async function checkTargets(configs: ScalingConfig[], shown: string, ctx: CommandContext): Promise<void> {
  const { BUILT_IN_ADAPTERS, loadAdapter } = await import('../../adapters/registry.js');
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const config of configs) {
    for (const name of new Set(config.services.map((s) => s.provider))) {
      // validate runs no third-party code: only the built-in adapters check their targets.
      if (!BUILT_IN_ADAPTERS.includes(config.providers[name].adapter)) {
        ctx.debug(`validate: targets of provider ${name} not checked: validate loads no third-party adapter (${config.providers[name].adapter}); plan checks them`);
        continue;
      }
      let adapter;
      try {
        adapter = await loadAdapter({ provider: config.providers[name], configDir: config.dir, environment: config.environment, env: ctx.io.env, debug: ctx.debug });
      } catch (error) {
        if (!AdapterError.isAdapterError(error)) throw error;
        ctx.debug(`validate: targets of provider ${name} not checked: ${error.message}`);
        continue;
      }
      for (const service of config.services.filter((s) => s.provider === name)) {
        const problem = adapter.parseTarget(service.target);
        if (!problem) continue;
        const at = config.positions[`services.${service.name}.target`] ?? config.positions[`services.${service.name}`] ?? { line: 1, col: 1 };
        const hint = config.positions[`services.${service.name}.target`] ? undefined : `add target: to services.${service.name} (the default is the service name)`;
        const message = `services.${service.name}.target: ${problem}`;
        // The base's problem is reported once, not again for each environment that inherits it.
        const key = `${at.line}:${at.col}:${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const environment = config.environment;
        diagnostics.push({ file: shown, ...at, severity: 'error', message: environment ? `environment "${environment}": ${message}` : message, hint, path: `services.${service.name}.target`, ...(environment ? { environment } : {}) });
      }
      await adapter.close?.();
    }
  }
  if (diagnostics.length) throw new ConfigError(diagnostics.sort((a, b) => a.line - b.line || a.col - b.col));
}
