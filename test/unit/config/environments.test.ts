import { describe, expect, it } from 'vitest';
import { parseConfig, parseEveryEnvironment } from '../../../src/config/load.js';
import { ConfigError, UsageError, formatDiagnostic } from '../../../src/errors.js';

const FILE = `version: 1
providers:
  box: { adapter: docker }
services:
  web:
    autoscale:
      min: 2
      max: 10
      metrics:
        - { type: concurrency, target: 70, limit: 100 }
    resources: { cpu: 0.5, memory: 512Mi }
  bot:
    replicas: 1
environments:
  staging:
    services:
      web:
        autoscale: { max: 4 }
  prod:
    providers:
      k8s: { adapter: kubernetes, context: prod-eu, namespace: shop }
    defaults: { provider: k8s }
    services:
      web:
        target: deployment/web
        autoscale:
          min: 3
          max: 30
          metrics: [{ type: rps, target: 150 }]
        resources:
          memory: ~
      bot: null
`;

const load = (text: string, environment?: string, env: NodeJS.ProcessEnv = {}) =>
  parseConfig(text, '/project/scaling.yaml', env, '/project', { environment });

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('environments: the merge', () => {
  it('leaves the base as written when no environment is selected, and names the environments', () => {
    const config = load(FILE);
    expect(config.environment).toBeUndefined();
    expect(config.environments).toEqual(['staging', 'prod']);
    expect(config.services.map((s) => s.name)).toEqual(['web', 'bot']);
    expect(config.services[0].spec.autoscale).toMatchObject({ min: 2, max: 10 });
  });

  it('deep-merges maps: staging changes max and keeps min, metrics and resources', () => {
    const web = load(FILE, 'staging').services.find((s) => s.name === 'web')!;
    expect(web.spec.autoscale).toEqual({ min: 2, max: 4, metrics: [{ type: 'concurrency', target: 70, limit: 100 }] });
    expect(web.spec.resources).toEqual({ cpu: '500m', memory: '512Mi' });
  });

  it('replaces lists, removes keys and services set to null, and overrides providers and defaults', () => {
    const config = load(FILE, 'prod');
    expect(config.environment).toBe('prod');
    expect(config.services.map((s) => s.name)).toEqual(['web']);
    const web = config.services[0];
    expect(web.provider).toBe('k8s');
    expect(web.target).toBe('deployment/web');
    expect(web.spec.autoscale?.metrics).toEqual([{ type: 'rps', target: 150 }]);
    expect(web.spec.resources).toEqual({ cpu: '500m' });
    expect(config.providers.k8s).toEqual({ name: 'k8s', adapter: 'kubernetes', settings: { context: 'prod-eu', namespace: 'shop' } });
    expect(config.providers.box.adapter).toBe('docker');
  });

  it('keeps source positions through the merge: overridden values at the override, the rest at the base', () => {
    const config = load(FILE, 'prod');
    expect(config.positions['services.web.autoscale.max']).toEqual({ line: 28, col: 16 });
    expect(config.locations['services.web.autoscale.max']).toBe('scaling.yaml:28');
    expect(config.positions['services.web.resources.cpu']).toEqual({ line: 11, col: 23 });
    expect(load(FILE, 'staging').positions['services.web.autoscale.min']).toEqual({ line: 7, col: 12 });
  });

  it('takes SCALECTL_ENV when no environment is passed', () => {
    expect(parseConfig(FILE, '/project/scaling.yaml', { SCALECTL_ENV: 'staging' }, '/project').environment).toBe('staging');
  });

  it('refuses an unknown environment, listing the known ones', () => {
    expect(() => load(FILE, 'prd')).toThrow(UsageError);
    expect(() => load(FILE, 'prd')).toThrow('unknown environment "prd" in scaling.yaml (did you mean "prod"?); environments: staging, prod');
    expect(() => load('version: 1\nservices: { web: { replicas: 1 } }\n', 'prod')).toThrow('scaling.yaml has no environments, so there is no environment "prod"');
  });

  it('builds every environment for validate', () => {
    expect(parseEveryEnvironment(FILE, '/project/scaling.yaml', {}, '/project').map((c) => c.environment)).toEqual([undefined, 'staging', 'prod']);
  });
});

describe('environments: problems at the override that causes them', () => {
  it('reports a wrong value at the override line, naming the environment', () => {
    const text = FILE.replace('autoscale: { max: 4 }', 'autoscale: { max: -1 }');
    expect(errorsOf(() => parseEveryEnvironment(text, '/project/scaling.yaml', {}, '/project'))).toEqual([
      'scaling.yaml:18:27: error: environment "staging": services.web.autoscale.max must be at least 0, got -1\n  Maximum instances, hot plus cold (started on demand).',
    ]);
  });

  it('reports an unknown key in an override with a did-you-mean', () => {
    const text = FILE.replace('autoscale: { max: 4 }', 'autoscale: { maxx: 4 }');
    expect(errorsOf(() => load(text, 'staging'))).toEqual([
      'scaling.yaml:18:22: error: environment "staging": unknown key "maxx" in services.web.autoscale\n  did you mean "max"?',
    ]);
  });

  it('moves a rule problem found at a base line (min above an overridden max) to the override', () => {
    const text = FILE.replace('autoscale: { max: 4 }', 'autoscale: { max: 1 }');
    expect(errorsOf(() => load(text, 'staging'))).toEqual([
      'scaling.yaml:18:27: error: environment "staging": autoscale.min (2) is above autoscale.max (1)\n  min must not exceed max; the base value is at line 7',
    ]);
  });

  it('checks only the selected environment outside validate, and every one in validate', () => {
    const text = FILE.replace('autoscale: { max: 4 }', 'autoscale: { max: 1 }');
    expect(load(text, 'prod').environment).toBe('prod');
    expect(load(text).environment).toBeUndefined();
    expect(errorsOf(() => parseEveryEnvironment(text, '/project/scaling.yaml', {}, '/project'))).toHaveLength(1);
  });

  it('reports a base problem once, not once per environment', () => {
    const text = FILE.replace('    replicas: 1\n', '    replicas: many\n');
    const errors = errorsOf(() => parseEveryEnvironment(text, '/project/scaling.yaml', {}, '/project'));
    expect(errors).toEqual(['scaling.yaml:13:15: error: services.bot.replicas must be a whole number, got "many"\n  A fixed instance count (0 = stopped). Excludes `autoscale`.']);
  });

  it('names a service an environment adds without replicas or autoscale at its mapping', () => {
    const text = FILE.replace('      bot: null\n', '      mailer: { target: mailer }\n');
    expect(errorsOf(() => load(text, 'prod'))).toEqual([
      'scaling.yaml:32:15: error: environment "prod": services.mailer needs replicas or autoscale\n  add "replicas: 1" for a fixed count, or an autoscale block with min and max',
    ]);
  });

  it('points at the environment when it removes a provider the base still uses', () => {
    const text = FILE.replace("      bot: null\n", '').replace('  prod:\n    providers:\n', '  prod:\n    providers:\n      box: null\n').replace('  bot:\n    replicas: 1\n', '  bot:\n    provider: box\n    replicas: 1\n');
    const errors = errorsOf(() => load(text, 'prod'));
    expect(errors).toEqual([
      expect.stringMatching(/^scaling\.yaml:20:3: error: environment "prod": services\.bot\.provider names "box", which is not a provider\n .*the base value is at line 13$/),
    ]);
  });

  it('checks the shape of the block: names, and what an environment may override', () => {
    const text = FILE.replace('  staging:\n    services:', '  staging:\n    service:');
    expect(errorsOf(() => load(text))).toEqual([
      'scaling.yaml:16:5: error: unknown key "service" in environments.staging\n  did you mean "services"? (an environment overrides providers, defaults, services)',
    ]);
    expect(errorsOf(() => load('version: 1\nservices: { web: { replicas: 1 } }\nenvironments: [prod]\n'))).toEqual([
      'scaling.yaml:3:15: error: environments must be a mapping of environment names\n  e.g. environments: { staging: { services: { web: { autoscale: { max: 4 } } } } }',
    ]);
  });

  it('interpolates ${VAR} in an override only for its environment', () => {
    const text = FILE.replace('autoscale: { max: 4 }', 'autoscale: { max: "${STAGING_MAX}" }');
    expect(load(text, 'prod').environment).toBe('prod');
    expect(load(text, 'staging', { STAGING_MAX: '6' }).services[0].spec.autoscale?.max).toBe(6);
    expect(errorsOf(() => load(text, 'staging'))[0]).toMatch(/^scaling\.yaml:18:28: error: environment "staging": environment variable STAGING_MAX is not set/);
  });
});
