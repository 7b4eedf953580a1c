// The summary after apply: what changed, what failed and why, what never started.
import type { ServiceResult } from '../apply/engine.js';
import type { Style } from './style.js';

// Lines naming every service's outcome, then one closing line.
export function renderApplySummary(results: ServiceResult[], style: Style, dryRun: boolean, interrupted: boolean): string[] {
  const lines: string[] = [''];
  for (const result of results) {
    if (result.status === 'applied') {
      lines.push(`${style.green('✓')} ${result.service}: ${result.done.join('; ') || (dryRun ? 'would apply' : 'applied')}`);
      continue;
    }
    const mark = result.status === 'interrupted' ? style.yellow('○') : style.red('✗');
    lines.push(`${mark} ${result.service}: ${result.status}: ${result.error ?? ''}`);
    if (result.done.length) lines.push(`    done before that: ${result.done.join('; ')}`);
    else if (result.status !== 'interrupted') lines.push('    nothing was changed for it');
  }
  const count = (status: ServiceResult['status']) => results.filter((r) => r.status === status).length;
  const applied = count('applied');
  const failed = count('failed') + count('stale');
  const notStarted = count('interrupted');
  const verb = dryRun ? 'Dry run' : 'Apply';
  const parts = [`${applied} ${dryRun ? 'would change' : 'changed'}`, `${failed} failed`];
  if (notStarted) parts.push(`${notStarted} not done`);
  const state = interrupted ? 'interrupted' : failed ? 'failed' : 'complete';
  lines.push('', `${verb} ${state}: ${parts.join(', ')}.`);
  if (interrupted) lines.push('Interrupted: no new changes were started; the ones in flight finished. Run apply again to converge.');
  else if (failed) lines.push('Run scalectl plan to see what is left, then apply again.');
  return lines;
}
