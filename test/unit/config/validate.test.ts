import { describe, expect, it } from 'vitest';
import { errorLines, parse, problems, withService } from '../../support/config.js';

describe('scaling.yaml structure', () => {
  it('parses the whole vocabulary into the model with canonical durations and quantities', () => {
    const config = parse(`version: 1
providers:
  k8s: { adapter: kubernetes, context: prod, namespace: shop }
defaults: { provider: k8s }
services:
  api:
    target: deployment/api
    autoscale:
      min: 2
      max: 20
      initial: 3
      default: 4
      metrics:
        - { type: concurrency, target: 70, limit: 100, utilization: 80 }
        - { type: rps, target: 150, window: 60s }
        - { type: cpu, utilization: 60 }
        - { type: memory, averageValue: 400Mi }
        - { type: queue, source: { kind: sqs, queue: jobs }, perInstance: 20, activation: 1 }
        - { type: external, source: { kind: prometheus, query: "sum(x)" }, averageValue: 100 }
      combine: max
      behavior:
        evaluationInterval: 15s
        tolerance: 0.1
        scaleUp: { stabilization: 0s, cooldown: 30s, policies: [{ pods: 4, period: 15s }, { percent: 100, period: 15s }], select: max }
        scaleDown: { stabilization: PT5M, delay: 1m, policies: [{ percent: 100, period: 15s }], select: min }
        toZero: { after: 5m }
        flapping: guard
      fallback: { after: 3, replicas: 6 }
      schedules:
        - { name: weekdays, recurring: { days: [Mon, Fri], start: "08:00", end: "20:00" }, timezone: Europe/Moscow, min: 5 }
        - { name: black-friday, dates: { start: "2026-11-27T00:00", end: "2026-11-28T00:00" }, min: 10, max: 30 }
        - { name: nightly, cron: "0 2 * * *", duration: 1h, max: 4 }
      pause: { scaleIn: false }
    traffic: { requestTimeout: 300s, queueTimeout: 10s, instanceIdleTimeout: 15m, coldStart: 2s }
    resources: { cpu: 0.5, memory: 512Mi }
    routing: { affinity: sticky }
    source: ./services/api
    readiness: { ignore: [polling-bot/grammy-long-polling] }
    x-kubernetes: { container: app }
`);
    const api = config.services[0];
    expect(api.provider).toBe('k8s');
    expect(api.target).toBe('deployment/api');
    expect(api.source).toBe('/project/services/api');
    expect(api.extensions).toEqual({ kubernetes: { container: 'app' } });
    expect(api.spec.traffic).toEqual({ requestTimeout: '5m', queueTimeout: '10s', instanceIdleTimeout: '15m', coldStart: '2s' });
    expect(api.spec.resources).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(api.spec.autoscale?.behavior?.scaleDown?.stabilization).toBe('5m');
    expect(api.spec.autoscale?.metrics).toHaveLength(6);
    expect(config.providers.k8s).toEqual({ name: 'k8s', adapter: 'kubernetes', settings: { context: 'prod', namespace: 'shop' } });
    expect(config.locations['services.api.autoscale.metrics[rps].target']).toBe('scaling.yaml:15');
    expect(config.locations['services.api.autoscale.schedules[nightly].max']).toBe('scaling.yaml:32');
  });

  it('defaults the provider to the built-in mock cloud and the target to the service name', () => {
    const config = parse(withService('    replicas: 2\n'));
    expect(config.services[0]).toMatchObject({ provider: 'mock', target: 'web', spec: { replicas: 2 } });
    expect(config.providers.mock.adapter).toBe('mock');
  });

  it('reports an unknown key at its position with a did-you-mean', () => {
    expect(errorLines(withService('    autoscale:\n      min: 1\n      maxx: 3\n'))).toEqual([
      '4:5 services.web.autoscale is missing the required key "max" (Maximum instances, hot plus cold (started on demand).)',
      '6:7 unknown key "maxx" in services.web.autoscale (did you mean "max"?)',
    ]);
  });

  it('suggests enum values and metric types', () => {
    expect(errorLines(withService('    replicas: 1\n    routing: { affinity: stiky }\n'))).toEqual([
      '5:26 services.web.routing.affinity must be one of none, sticky, got "stiky" (did you mean "sticky"?)',
    ]);
    expect(errorLines(withService('    autoscale: { min: 1, max: 3, metrics: [{ type: cpuu, utilization: 5 }] }\n'))).toEqual([
      '4:52 unknown type "cpuu" in services.web.autoscale.metrics[cpuu] (did you mean "cpu"?)',
    ]);
  });

  it('rejects duplicate keys', () => {
    const [first] = problems(withService('    replicas: 1\n    replicas: 2\n'));
    expect(first).toMatchObject({ line: 5, col: 5, message: 'duplicate key "replicas": a key may appear only once in a mapping' });
  });

  it('bounds alias expansion', () => {
    const lines = ['version: 1', 'x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 0; i < 8; i++) lines.push(`x-${'b'.repeat(i + 1)}: &b${i} [${Array(10).fill(i === 0 ? '*a' : `*b${i - 1}`).join(', ')}]`);
    lines.push('services:', '  web:', '    replicas: 1', '    x-big: *b7');
    const all = problems(lines.join('\n'));
    // the top level rejects x- keys, but the service's x-big is walked: its aliases must stop early
    expect(all.some((d) => /too many alias expansions/.test(d.message))).toBe(true);
  });

  it('types are checked with positions and hints', () => {
    expect(errorLines(withService('    replicas: "3"\n'))).toEqual(['4:15 services.web.replicas must be a whole number, got "3" (remove the quotes)']);
    expect(errorLines(withService('    replicas: -1\n'))[0]).toMatch(/^4:15 services.web.replicas must be at least 0, got -1/);
    expect(errorLines(withService('    replicas: 1\n    traffic: { requestTimeout: 300 }\n'))).toEqual([
      '5:32 services.web.traffic.requestTimeout must be a duration, got 300 (add a unit: "300s")',
    ]);
    expect(errorLines(withService('    replicas: 1\n    resources: { cpu: lots }\n'))[0]).toMatch(/^5:23 services.web.resources.cpu must be cores such as 0.5/);
  });

  it('enforces the HPA limits on stabilization and policy periods', () => {
    const text = withService('    autoscale:\n      min: 1\n      max: 3\n      behavior:\n        scaleDown: { stabilization: 2h, policies: [{ pods: 1, period: 31m }] }\n');
    expect(errorLines(text)).toEqual([
      '8:37 services.web.autoscale.behavior.scaleDown.stabilization must be at most 1h, got "2h" (Use the highest recommendation of this window before scaling down (HPA default 5m, at most 1h).)',
      '8:71 services.web.autoscale.behavior.scaleDown.policies[0].period must be at most 30m, got "31m" (The period the limit applies to (HPA periodSeconds, at most 30m).)',
    ]);
  });
});

describe('environment interpolation', () => {
  it('substitutes ${VAR} and ${VAR:-default} with YAML typing for plain scalars', () => {
    // Unquoted ${…} is only valid YAML in block style (braces end a flow mapping), as in Compose.
    const text = withService('    autoscale:\n      min: ${MIN:-2}\n      max: "${MAX}"\n    target: "${NAME}-svc"\n');
    const config = parse(text, { MAX: '9', NAME: 'web' });
    expect(config.services[0].spec.autoscale).toMatchObject({ min: 2, max: 9 });
    expect(config.services[0].target).toBe('web-svc');
  });

  it('names an unset variable at its position', () => {
    expect(errorLines(withService('    replicas: ${REPLICAS}\n'))).toEqual([
      '4:15 environment variable REPLICAS is not set (set it (export REPLICAS=…) or give a default: ${REPLICAS:-value})',
    ]);
  });

  it('keeps quoted interpolations as strings and $${ as a literal', () => {
    const config = parse(withService('    replicas: 1\n    x-docker: { label: "$${HOME}" }\n'), { HOME: '/root' });
    expect(config.services[0].extensions.docker).toEqual({ label: '${HOME}' });
  });
});
