// Which environment of scaling.yaml a command works on, said once per run on stderr.
import { displayPath } from '../config/load.js';
import type { ScalingConfig } from '../config/model.js';
import type { CommandContext } from './context.js';

const announced = new WeakSet<AbortSignal>();

// A file with environments used without --env: say once that the base applies.
export function announceEnvironment(config: ScalingConfig, ctx: CommandContext): void {
  if (config.environment !== undefined || !config.environments?.length || announced.has(ctx.signal)) return;
  announced.add(ctx.signal);
  const shown = displayPath(config.file, ctx.io.cwd);
  ctx.info(`note: ${shown} defines environments (${config.environments.join(', ')}); using the base. Choose one with --env <name> or SCALECTL_ENV.`);
}
