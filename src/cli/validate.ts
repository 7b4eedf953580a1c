// scalectl validate: schema and semantic checks, every problem at file:line:col.
// Problems are thrown as ConfigError by loadConfig; the entry point prints them and exits 1.
import { displayPath, loadConfig } from '../config/load.js';
import type { ScalingConfig } from '../config/model.js';
import { AdapterError, ConfigError, EXIT, type Diagnostic } from '../errors.js';
import type { CommandContext } from './context.js';

// Runs the command; returns the exit code.
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<number> {
  let config: ScalingConfig;
  try {
    config = await loadConfig({ file: ctx.globals.file, cwd: ctx.io.cwd, env: ctx.io.env });
  } catch (error) {
    // With --json an invalid file is data too: every diagnostic on stdout, still exit 1.
    if (!ctx.globals.json || !(error instanceof ConfigError)) throw error;
    const { diagnostics } = error;
    ctx.out(JSON.stringify({ file: diagnostics[0]?.file, valid: false, errors: diagnostics.filter((d) => d.severity === 'error'), warnings: diagnostics.filter((d) => d.severity === 'warning') }, null, 2));
    return EXIT.error;
  }
  const shown = displayPath(config.file, ctx.io.cwd);
  await checkTargets(config, shown, ctx);
  const providers = new Set(config.services.map((s) => s.provider));
  const defined = Object.keys(config.providers).length - (config.providers.mock && !config.services.some((s) => s.provider === 'mock') ? 1 : 0);
  if (ctx.globals.json) {
    ctx.out(JSON.stringify({ file: shown, valid: true, services: config.services.length, warnings: config.warnings }, null, 2));
    return EXIT.ok;
  }
  for (const warning of config.warnings) ctx.warn(warning.replace(/: warning: /, ': '));
  ctx.info(
    `${ctx.style.green('✓')} ${shown} is valid: ${config.services.length} service${config.services.length === 1 ? '' : 's'} on ${providers.size} provider${providers.size === 1 ? '' : 's'}` +
      (defined > providers.size ? ` (of ${defined} defined)` : '') +
      (config.warnings.length ? `, ${config.warnings.length} warning${config.warnings.length === 1 ? '' : 's'}` : '') +
      '.',
  );
  return EXIT.ok;
}

// Each service's `target:` in its adapter's syntax. An adapter that cannot start here (a
// third-party module missing, say) is reported by plan instead; validate stays offline.
async function checkTargets(config: ScalingConfig, shown: string, ctx: CommandContext): Promise<void> {
  const { loadAdapter } = await import('../../adapters/registry.js');
  const diagnostics: Diagnostic[] = [];
  for (const name of new Set(config.services.map((s) => s.provider))) {
    let adapter;
    try {
      adapter = await loadAdapter({ provider: config.providers[name], configDir: config.dir, env: ctx.io.env, debug: ctx.debug });
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
      diagnostics.push({ file: shown, ...at, severity: 'error', message: `services.${service.name}.target: ${problem}`, hint, path: `services.${service.name}.target` });
    }
    await adapter.close?.();
  }
  if (diagnostics.length) throw new ConfigError(diagnostics);
}
