// scalectl validate: schema and semantic checks, every problem at file:line:col.
// Problems are thrown as ConfigError by loadConfig; the entry point prints them and exits 1.
import { displayPath, loadConfig } from '../config/load.js';
import { EXIT } from '../errors.js';
import type { CommandContext } from './context.js';

// Runs the command; returns the exit code.
export async function run(_options: Record<string, never>, ctx: CommandContext): Promise<number> {
  const config = await loadConfig({ file: ctx.globals.file, cwd: ctx.io.cwd, env: ctx.io.env });
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
