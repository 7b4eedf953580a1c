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
    // Adapters that already list their steps in the error need not be repeated.
    const listed = result.done.length > 0 && result.done.every((step) => (result.error ?? '').includes(step));
    if (result.done.length && !listed) lines.push(`    done before that: ${result.done.join('; ')}`);
    else if (!result.done.length && result.status !== 'interrupted') lines.push('    nothing was changed for it');
  }
  const count = (status: ServiceResult['status']) => results.filter((r) => r.status === status).length;
  const applied = count('applied');
  const failed = count('failed') + count('stale');
  // Interrupted part-way: some steps took effect (a few of 60 replicas created, say).
  const partly = results.filter((r) => r.status === 'interrupted' && r.done.length > 0).length;
  const notStarted = count('interrupted') - partly;
  const verb = dryRun ? 'Dry run' : 'Apply';
  const parts = [`${applied} ${dryRun ? 'would change' : 'changed'}`];
  if (partly) parts.push(`${partly} partly changed`);
  parts.push(`${failed} failed`);
  if (notStarted) parts.push(`${notStarted} not done`);
  const state = interrupted ? 'interrupted' : failed ? 'failed' : 'complete';
  lines.push('', `${verb} ${state}: ${parts.join(', ')}.`);
  if (interrupted) lines.push('Interrupted: no new changes were started; the ones in flight finished. Run apply again to converge.');
  else if (failed) lines.push('Run scalectl plan to see what is left, then apply again.');
  return lines;
}
