// init's non-interactive flags: the --service grammar and its error messages.
import { describe, expect, it } from 'vitest';
import { parsePairs, parseServiceFlag } from '../../src/init/flags.js';

describe('--service', () => {
  it('reads names, fixed counts and autoscaling specs', () => {
    expect(parseServiceFlag('web')).toEqual({ name: 'web' });
    expect(parseServiceFlag('bot=1')).toEqual({ name: 'bot', scaling: { kind: 'fixed', replicas: 1 } });
    expect(parseServiceFlag('admin=fixed:0')).toEqual({ name: 'admin', scaling: { kind: 'fixed', replicas: 0 } });
    expect(parseServiceFlag('web=autoscale')).toEqual({ name: 'web', scaling: { kind: 'autoscale', metric: 'concurrency', min: 1, max: 10, target: 70, limit: 100 } });
    expect(parseServiceFlag('web=autoscale:concurrency:2..20')).toEqual({ name: 'web', scaling: { kind: 'autoscale', metric: 'concurrency', min: 2, max: 20, target: 70, limit: 100 } });
    expect(parseServiceFlag('web=autoscale:concurrency:0..5:10/15')).toEqual({ name: 'web', scaling: { kind: 'autoscale', metric: 'concurrency', min: 0, max: 5, target: 10, limit: 15 } });
    expect(parseServiceFlag('api=autoscale:rps:1..8:200')).toEqual({ name: 'api', scaling: { kind: 'autoscale', metric: 'rps', min: 1, max: 8, target: 200 } });
    expect(parseServiceFlag('job=autoscale:cpu')).toEqual({ name: 'job', scaling: { kind: 'autoscale', metric: 'cpu', min: 1, max: 10, target: 70 } });
  });

  it('names what is wrong and shows the grammar', () => {
    const cases: [string, string][] = [
      ['we b', '"we b" is not a service name'],
      ['web=fixed', 'fixed takes one count'],
      ['web=fixed:-1', 'the count must be a whole number of at least 0, got "-1"'],
      ['web=scale', '"scale" is neither a count, "fixed" nor "autoscale"'],
      ['web=autoscale:memory', '"memory" is not a metric'],
      ['web=autoscale:rps:5', 'bounds must be MIN..MAX, got "5"'],
      ['web=autoscale:rps:5..2', 'bounds 5..2 need 0 ≤ MIN ≤ MAX and MAX ≥ 1'],
      ['web=autoscale:cpu:0..3', 'cpu cannot wake a service scaled to zero'],
      ['web=autoscale:rps:1..3:10/20', 'only concurrency takes a hard limit'],
    ];
    for (const [spec, message] of cases) {
      expect(() => parseServiceFlag(spec), spec).toThrow(message);
      expect(() => parseServiceFlag(spec), spec).toThrow('e.g. web=autoscale:concurrency:2..20');
    }
  });

  it('reads NAME=VALUE pairs for --source and --target', () => {
    expect(parsePairs('--source', ['web=./web', 'bot=src/bot'], 'web=./web')).toEqual(new Map([['web', './web'], ['bot', 'src/bot']]));
    expect(() => parsePairs('--source', ['./web'], 'web=./services/web')).toThrow('--source "./web": expected SERVICE=VALUE, e.g. --source web=./services/web');
  });
});
