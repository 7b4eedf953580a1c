// The malformed-file corpus: every file fails validate with exit 1, its first error at
// file:line:col with the message below, a fix hint where one exists, and no stack trace.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, scalectl } from '../support/cli.js';

const DIR = join(ROOT, 'test/fixtures/malformed');

const EXPECTED: Record<string, string> = {
  "01-affinity-typo.yaml": "01-affinity-typo.yaml:5:26: error: services.web.routing.affinity must be one of none, sticky, got \"stickyy\"",
  "02-alias-bomb.yaml": "02-alias-bomb.yaml:7:46: error: too many alias expansions (more than 100)",
  "03-bad-env-reference.yaml": "03-bad-env-reference.yaml:5:14: error: \"${not valid}\" is not a valid variable reference",
  "04-bad-indent.yaml": "04-bad-indent.yaml:5:1: error: All mapping items must start at the same column",
  "05-bad-service-name.yaml": "05-bad-service-name.yaml:3:3: error: \"web app\" is not a valid name in services",
  "06-combine-unknown-metric.yaml": "06-combine-unknown-metric.yaml:8:16: error: combine refers to \"queue\", which is not one of this service's metric types",
  "07-concurrency-zero-limit.yaml": "07-concurrency-zero-limit.yaml:8:39: error: services.web.autoscale.metrics[concurrency].limit must be at least 1, got 0",
  "08-cpu-both-targets.yaml": "08-cpu-both-targets.yaml:8:11: error: a cpu metric needs exactly one of utilization or averageValue",
  "09-duplicate-key.yaml": "09-duplicate-key.yaml:5:5: error: duplicate key \"replicas\": a key may appear only once in a mapping",
  "10-duplicate-service.yaml": "10-duplicate-service.yaml:4:3: error: duplicate key \"web\": a key may appear only once in a mapping",
  "11-duration-garbage.yaml": "11-duration-garbage.yaml:6:23: error: services.web.traffic.requestTimeout must be a duration, got \"soon\"",
  "12-duration-without-unit.yaml": "12-duration-without-unit.yaml:6:21: error: services.web.traffic.queueTimeout must be a duration, got 10",
  "13-empty-file.yaml": "13-empty-file.yaml:1:1: error: the file is empty",
  "14-empty-services.yaml": "14-empty-services.yaml:2:11: error: services is empty",
  "15-flapping-typo.yaml": "15-flapping-typo.yaml:8:19: error: services.web.autoscale.behavior.flapping must be one of guard, off, got \"gaurd\"",
  "16-initial-outside-bounds.yaml": "16-initial-outside-bounds.yaml:7:16: error: autoscale.initial (9) is outside min..max (2..4)",
  "17-max-zero.yaml": "17-max-zero.yaml:6:12: error: autoscale.max must be at least 1",
  "18-memory-garbage.yaml": "18-memory-garbage.yaml:5:26: error: services.web.resources.memory must be a size such as 512Mi, 1Gi or 1G, got \"a lot\"",
  "19-metric-without-type.yaml": "19-metric-without-type.yaml:8:11: error: services.web.autoscale.metrics[0] is missing \"type\"",
  "20-min-above-max.yaml": "20-min-above-max.yaml:5:12: error: autoscale.min (10) is above autoscale.max (5)",
  "21-min-zero-cpu-only.yaml": "21-min-zero-cpu-only.yaml:5:12: error: autoscale.min is 0 but only cpu/memory metrics are set: nothing would wake the service from zero",
  "22-missing-max.yaml": "22-missing-max.yaml:4:5: error: services.web.autoscale is missing the required key \"max\"",
  "23-missing-services.yaml": "23-missing-services.yaml:1:1: error: the document is missing the required key \"services\"",
  "24-missing-version.yaml": "24-missing-version.yaml:1:1: error: the document is missing the required key \"version\"",
  "25-neither-replicas-nor-autoscale.yaml": "25-neither-replicas-nor-autoscale.yaml:4:5: error: services.web needs replicas or autoscale",
  "26-policy-period-too-long.yaml": "26-policy-period-too-long.yaml:10:34: error: services.web.autoscale.behavior.scaleUp.policies[0].period must be at most 30m, got \"1h\"",
  "27-policy-without-period.yaml": "27-policy-without-period.yaml:10:13: error: services.web.autoscale.behavior.scaleUp.policies[0] is missing the required key \"period\"",
  "28-provider-without-adapter.yaml": "28-provider-without-adapter.yaml:3:3: error: providers.prod is missing the required key \"adapter\"",
  "29-queue-without-source.yaml": "29-queue-without-source.yaml:8:11: error: services.web.autoscale.metrics[queue] is missing the required key \"source\"",
  "30-replicas-and-autoscale.yaml": "30-replicas-and-autoscale.yaml:5:16: error: services.web has both replicas and autoscale",
  "31-replicas-float.yaml": "31-replicas-float.yaml:4:15: error: services.web.replicas must be a whole number, got 1.5",
  "32-replicas-negative.yaml": "32-replicas-negative.yaml:4:15: error: services.web.replicas must be at least 0, got -2",
  "33-replicas-string.yaml": "33-replicas-string.yaml:4:15: error: services.web.replicas must be a whole number, got \"three\"",
  "34-rps-without-target.yaml": "34-rps-without-target.yaml:8:11: error: services.web.autoscale.metrics[rps] is missing the required key \"target\"",
  "35-scalar-document.yaml": "35-scalar-document.yaml:1:1: error: the document must be a mapping (key: value), got \"just some text\"",
  "36-schedule-bad-day.yaml": "36-schedule-bad-day.yaml:9:31: error: services.web.autoscale.schedules[day].recurring.days[0] must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun, got \"Monday\"",
  "37-schedule-bad-time.yaml": "37-schedule-bad-time.yaml:9:44: error: services.web.autoscale.schedules[day].recurring.start has an invalid value \"8am\"",
  "38-schedule-bad-timezone.yaml": "38-schedule-bad-timezone.yaml:10:21: error: unknown time zone \"Moscow/Europe\"",
  "39-schedule-min-above-max.yaml": "39-schedule-min-above-max.yaml:10:16: error: schedule \"day\" makes min (9) larger than max (4)",
  "40-schedule-without-name.yaml": "40-schedule-without-name.yaml:8:9: error: services.web.autoscale.schedules[0] is missing the required key \"name\"",
  "41-select-typo.yaml": "41-select-typo.yaml:8:30: error: services.web.autoscale.behavior.scaleDown.select must be one of max, min, disabled, got \"maximum\"",
  "42-services-is-list.yaml": "42-services-is-list.yaml:3:3: error: services must be a mapping of names, got a list",
  "43-stabilization-too-long.yaml": "43-stabilization-too-long.yaml:8:37: error: services.web.autoscale.behavior.scaleDown.stabilization must be at most 1h, got \"90m\"",
  "44-tab-indent.yaml": "44-tab-indent.yaml:3:1: error: Tabs are not allowed as indentation",
  "45-tolerance-too-big.yaml": "45-tolerance-too-big.yaml:7:30: error: services.web.autoscale.behavior.tolerance must be at most 1, got 5",
  "46-typo-in-autoscale.yaml": "46-typo-in-autoscale.yaml:7:7: error: unknown key \"metircs\" in services.web.autoscale",
  "47-typo-in-service.yaml": "47-typo-in-service.yaml:5:5: error: unknown key \"resorces\" in services.web",
  "48-unclosed-flow.yaml": "48-unclosed-flow.yaml:4:1: error: Flow map in block collection must be sufficiently indented and end with a }",
  "49-undefined-alias.yaml": "49-undefined-alias.yaml:4:5: error: unresolved alias",
  "50-unknown-default-provider.yaml": "50-unknown-default-provider.yaml:2:23: error: defaults.provider names \"prod\", which is not a provider",
  "51-unknown-metric-type.yaml": "51-unknown-metric-type.yaml:8:17: error: unknown type \"latency\" in services.web.autoscale.metrics[latency]",
  "52-unknown-provider.yaml": "52-unknown-provider.yaml:4:15: error: services.web.provider names \"prod\", which is not a provider",
  "53-unknown-top-key.yaml": "53-unknown-top-key.yaml:1:1: error: the document is missing the required key \"services\"",
  "54-unset-env-var.yaml": "54-unset-env-var.yaml:4:15: error: environment variable WEB_REPLICAS is not set",
  "55-wrong-version.yaml": "55-wrong-version.yaml:1:10: error: version must be 1, got 2",
  "56-replicas-above-int32.yaml": "56-replicas-above-int32.yaml:4:15: error: services.web.replicas must be at most 2147483647, got 2147483648",
  "57-replicas-unsafe-integer.yaml": "57-replicas-unsafe-integer.yaml:4:15: error: services.web.replicas must be at most 2147483647, got 9007199254740993",
  "58-replicas-exponent.yaml": "58-replicas-exponent.yaml:4:15: error: services.web.replicas must be at most 2147483647, got 1e23",
  "59-max-above-int32.yaml": "59-max-above-int32.yaml:6:12: error: services.web.autoscale.max must be at most 2147483647, got 5000000000",
  "60-cron-out-of-range.yaml": "60-cron-out-of-range.yaml:9:17: error: schedule \"night\": cron minute field \"99\" is out of range 0-59",
  "61-date-not-real.yaml": "61-date-not-real.yaml:9:27: error: dates.start \"2026-13-45\" is not a real date and time",
  "62-pause-replicas-above-max.yaml": "62-pause-replicas-above-max.yaml:7:26: error: autoscale.pause.replicas (50) is above max (5)",
  "63-cpu-absurd.yaml": "63-cpu-absurd.yaml:5:23: error: services.web.resources.cpu must be at most 2147483647m (about 2.1 million cores), got \"100000000000000000000000m\"",
  "64-duration-overflow.yaml": "64-duration-overflow.yaml:6:23: error: services.web.traffic.requestTimeout is longer than 8760h (365 days), the longest duration scalectl takes, got \"99999999999999999999h\"",
  "65-duration-sub-ms.yaml": "65-duration-sub-ms.yaml:6:23: error: services.web.traffic.requestTimeout is not a whole number of milliseconds, got \"0.4ms\"",
  "66-null-service-name.yaml": "66-null-service-name.yaml:3:3: error: services has an empty key (~ or null); every entry needs a name",
  "67-multiple-documents.yaml": "67-multiple-documents.yaml:5:1: error: a second YAML document starts here: scaling.yaml is one document",
  "68-merge-key.yaml": "68-merge-key.yaml:8:5: error: YAML merge keys (<<) are not supported",
  "69-env-unterminated.yaml": "69-env-unterminated.yaml:4:15: error: \"${WEB_REPLICAS\" is not closed: a \"}\" is missing",
  "70-env-empty.yaml": "70-env-empty.yaml:4:15: error: services.web.replicas is empty: environment variable EMPTY_W11A is set but empty",
  "71-env-required-message.yaml": "71-env-required-message.yaml:4:15: error: environment variable W11A_UNSET is not set: set the web count",
  "72-nested-default-unset.yaml": "72-nested-default-unset.yaml:4:25: error: environment variable W11A_B is not set",
  "73-deep-nesting.yaml": "73-deep-nesting.yaml:5:77: error: the file nests more than 64 levels deep",
  "74-schedule-dates-end-before-start.yaml": "74-schedule-dates-end-before-start.yaml:9:56: error: schedule \"sale\" ends before it starts",
  "75-date-feb-30.yaml": "75-date-feb-30.yaml:9:27: error: dates.start \"2026-02-30\" is not a real date and time",
};

// Variables a file needs in its environment (set but empty is not unset).
const ENV: Record<string, Record<string, string>> = {
  '70-env-empty.yaml': { EMPTY_W11A: '' },
};

describe('malformed scaling.yaml corpus', () => {
  it('has at least 40 files, each with an expectation', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', async (file, first) => {
    const result = await scalectl(['validate', '-f', file], { cwd: DIR, env: ENV[file] });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    const stderr = String(result.stderr);
    expect(stderr.split('\n').find((line) => line.includes(': error: '))).toBe(first);
    expect(stderr).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: error: `));
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);
    expect(stderr).not.toContain('internal error');
  });
});

// Files too large to keep in the corpus, written at test time: each is refused by the limits
// before the parser builds it, with a located message.
describe('size and depth limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const head = 'version: 1\nservices:\n  web:\n    replicas: 1\n';
  it.each([
    ['huge-x-list.yaml', `${head}    x-list:\n${'      - 1\n'.repeat(210_000)}`, 'huge-x-list.yaml:1:1: error: the file is 2.0 MiB; scaling.yaml may be at most 1 MiB'],
    ['many-values.yaml', `${head}    x-list: [${'1,'.repeat(300_000)}1]\n`, 'many-values.yaml:5:400000: error: the file holds more than 200000 values'],
    ['deep-block.yaml', `${head}    x-block:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 3)}k:\n`).join('')}`, 'deep-block.yaml:131:258: error: the file nests more than 64 levels deep'],
    ['deep-dashes.yaml', `${head}    x-list: ${'- '.repeat(5000)}1\n`, 'deep-dashes.yaml:5:515: error: the file nests more than 64 levels deep'],
    ['budget.yaml', `${head}    x-a: &a [${'1,'.repeat(2000)}1]\n    x-b: [${'*a,'.repeat(59)}*a]\n`, 'budget.yaml:6:155: error: the document is too large (more than 100000 values after aliases)'],
  ])('%s', async (file, text, first) => {
    writeFileSync(join(dir, file), text);
    const result = await scalectl(['validate', '-f', file], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr).split('\n')[0]).toBe(first);
    expect(result.stderr).not.toMatch(/Maximum call stack|internal error|parseAllDocuments/);
  });
});

describe('validate --json', () => {
  it('reports every diagnostic as data on stdout and exits 1', async () => {
    const result = await scalectl(['validate', '--json', '-f', '53-unknown-top-key.yaml'], { cwd: DIR });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(String(result.stdout))).toEqual({
      file: '53-unknown-top-key.yaml',
      valid: false,
      errors: [
        { file: '53-unknown-top-key.yaml', line: 1, col: 1, severity: 'error', message: 'the document is missing the required key "services"', hint: 'The services of the application.', path: 'services' },
        { file: '53-unknown-top-key.yaml', line: 2, col: 1, severity: 'error', message: 'unknown key "service" in the document', hint: 'did you mean "services"?', path: 'service' },
      ],
      warnings: [],
    });
  });
});
