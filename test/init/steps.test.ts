// The wizard's steps on mock streams: typed answers in, decisions out, Ctrl-C throws.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultScaling } from '../../src/init/model.js';
import { existingStep, holdStep, scalingStep, servicesStep, sourceStep, WizardCancelled } from '../../src/init/steps.js';
import { KEY, mockTerminal } from './streams.js';

describe('scalingStep', () => {
  it('takes every default with Enter: concurrency 70/100, 1..10', async () => {
    const term = mockTerminal([
      ['How should web scale?', KEY.enter],
      ['Which signal drives web?', KEY.enter],
      ['Target: in-flight requests per instance', KEY.enter],
      ['Hard limit', KEY.enter],
      ['Hot instances of web', KEY.enter],
      ['Maximum instances of web', KEY.enter],
    ]);
    expect(await scalingStep(term.io, 'web', defaultScaling())).toEqual({ kind: 'autoscale', metric: 'concurrency', min: 1, max: 10, target: 70, limit: 100 });
    expect(term.screen()).toContain('concurrency (in-flight requests per instance: a soft target to aim at, a hard limit past which requests queue)');
  });

  it('reads typed numbers, refuses a max below min, and picks rps with the arrow keys', async () => {
    const term = mockTerminal([
      ['How should api scale?', KEY.enter],
      ['Which signal drives api?', `${KEY.down}${KEY.enter}`],
      ['Target: requests per second per instance', `200${KEY.enter}`],
      ['Hot instances of api', `3${KEY.enter}`],
      ['Maximum instances of api', `2${KEY.enter}`],
      ['a whole number of at least 3', `\u007f25${KEY.enter}`],
    ]);
    expect(await scalingStep(term.io, 'api', defaultScaling())).toEqual({ kind: 'autoscale', metric: 'rps', min: 3, max: 25, target: 200 });
  });

  it('asks only a count for a fixed number of instances', async () => {
    const term = mockTerminal([
      ['How should bot scale?', `${KEY.down}${KEY.enter}`],
      ['How many instances of bot?', `1${KEY.enter}`],
    ]);
    expect(await scalingStep(term.io, 'bot', defaultScaling())).toEqual({ kind: 'fixed', replicas: 1 });
  });

  it('on Docker offers autoscaling on CPU only (no signal question) or a fixed count, fixed first', async () => {
    const term = mockTerminal([
      ['How should web scale?', `${KEY.up}${KEY.enter}`],
      ['Target: CPU % per instance', `60${KEY.enter}`],
      ['Hot instances of web', KEY.enter],
      ['Maximum instances of web', `4${KEY.enter}`],
    ]);
    expect(await scalingStep(term.io, 'web', defaultScaling(), true)).toEqual({ kind: 'autoscale', metric: 'cpu', min: 1, max: 4, target: 60 });
    expect(term.screen()).toContain('scalectl autoscale reads Docker stats');
    const fixed = mockTerminal([
      ['How should bot scale?', KEY.enter],
      ['How many instances of bot?', `2${KEY.enter}`],
    ]);
    expect(await scalingStep(fixed.io, 'bot', defaultScaling(), true)).toEqual({ kind: 'fixed', replicas: 2 });
  });

  it('throws WizardCancelled on Ctrl-C', async () => {
    const term = mockTerminal([['How should web scale?', KEY.ctrlC]]);
    await expect(scalingStep(term.io, 'web', defaultScaling())).rejects.toBeInstanceOf(WizardCancelled);
  });
});

describe('servicesStep', () => {
  it('keeps the found services checked and adds typed names', async () => {
    const term = mockTerminal([
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', `cron, mail${KEY.enter}`],
    ]);
    expect(await servicesStep(term.io, [{ name: 'web', hint: 'compose.yaml' }, { name: 'worker', hint: 'compose.yaml' }], [])).toEqual(['web', 'worker', 'cron', 'mail']);
  });

  it('proposes "web" when nothing was found and refuses names already in the file', async () => {
    const term = mockTerminal([
      ['Which services?', `shop${KEY.enter}`],
      ['"shop" is already there', `\u007f\u007f\u007f\u007fapi${KEY.enter}`],
    ]);
    expect(await servicesStep(term.io, [], ['shop'])).toEqual(['api']);
    const fresh = mockTerminal([['Which services?', KEY.enter]]);
    expect(await servicesStep(fresh.io, [], [])).toEqual(['web']);
  });
});

describe('sourceStep, existingStep, holdStep', () => {
  it('accepts an existing folder, refuses a missing one, and Enter keeps the suggestion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-steps-'));
    mkdirSync(join(dir, 'web'));
    const term = mockTerminal([
      ['Source folder of web', `nope${KEY.enter}`],
      ['no folder nope here', `\u007f\u007f\u007f\u007fweb${KEY.enter}`],
    ]);
    expect(await sourceStep(term.io, 'web', dir)).toBe('./web');
    const suggested = mockTerminal([['Source folder of web', KEY.enter]]);
    expect(await sourceStep(suggested.io, 'web', dir, './web')).toBe('./web');
  });

  it('offers to extend an existing file, and "Stop" cancels', async () => {
    const extend = mockTerminal([['scaling.yaml exists', KEY.enter]]);
    expect(await existingStep(extend.io, 'scaling.yaml')).toBe('extend');
    expect(extend.screen()).toContain('keeps its comments and everything in it');
    const stop = mockTerminal([['scaling.yaml exists', `${KEY.down}${KEY.down}${KEY.enter}`]]);
    await expect(existingStep(stop.io, 'scaling.yaml')).rejects.toBeInstanceOf(WizardCancelled);
  });

  it('proposes holding at one instance (yes by default)', async () => {
    const yes = mockTerminal([['Run bot as 1 instance until these are fixed?', KEY.enter]]);
    expect(await holdStep(yes.io, 'bot')).toBe(true);
    const no = mockTerminal([['Run bot as 1 instance until these are fixed?', `n${KEY.enter}`]]);
    expect(await holdStep(no.io, 'bot')).toBe(false);
  });
});
