// scalectl validate: schema and semantic checks, every problem at file:line:col.
// Problems are thrown as ConfigError by loadConfig; the entry point prints them and exits 1.
import { displayPath, loadConfig } from '../config/load.js';
import type { ScalingConfig } from '../config/model.js';
import { ConfigError, EXIT } from '../errors.js';
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
  const providers = new Set(config.services.map((s) => s.provider));
  if (ctx.globals.json) {
    ctx.out(JSON.stringify({ file: shown, valid: true, services: config.services.length, warnings: config.warnings }, null, 2));
    return EXIT.ok;
  }
  for (const warning of config.warnings) ctx.warn(warning.replace(/: warning: /, ': '));
  ctx.info(
    `${ctx.style.green('✓')} ${shown} is valid: ${config.services.length} service${config.services.length === 1 ? '' : 's'} on ${providers.size} provider${providers.size === 1 ? '' : 's'}` +
      (config.warnings.length ? `, ${config.warnings.length} warning${config.warnings.length === 1 ? '' : 's'}` : '') +
      '.',
  );
  return EXIT.ok;
}
