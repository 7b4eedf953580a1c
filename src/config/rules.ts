// Semantic rules of DESIGN §2 that a schema cannot say: bounds, exclusions, wake-up sources,
// schedule shapes, formula names. Each problem points at the key it is about.
import type { Diagnostic } from '../errors.js';
import type { Autoscale, Metric, Schedule } from './model.js';
import type { Place } from './validate-tree.js';
import { compileCron } from '../simulate/cron.js';
import { readScheduleDate } from '../simulate/clock.js';

type Report = (path: string, message: string, hint?: string, severity?: 'error' | 'warning') => void;

// Runs every rule over the validated plain value.
export function checkRules(file: string, value: Record<string, unknown>, places: Map<string, Place>, builtinProviders: string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (path, message, hint, severity = 'error') => {
    const at = nearestPlace(places, path);
    diagnostics.push({ file, line: at.line, col: at.col, severity, message, hint, path });
  };
  const providers = Object.keys((value.providers as Record<string, unknown>) ?? {});
  const known = [...new Set([...providers, ...builtinProviders])];
  const defaults = value.defaults as { provider?: string } | undefined;
  if (defaults?.provider !== undefined && !known.includes(defaults.provider)) {
    report('defaults.provider', `defaults.provider names "${defaults.provider}", which is not a provider`, `define providers.${defaults.provider}, or use one of: ${known.join(', ')}`);
  }
  const services = (value.services as Record<string, Record<string, unknown>>) ?? {};
  if (Object.keys(services).length === 0) report('services', 'services is empty', 'add at least one service');
  for (const [name, service] of Object.entries(services)) {
    const at = `services.${name}`;
    if (typeof service.provider === 'string' && !known.includes(service.provider)) {
      report(`${at}.provider`, `services.${name}.provider names "${service.provider}", which is not a provider`, `define providers.${service.provider}, or use one of: ${known.join(', ')}`);
    }
    const hasReplicas = service.replicas !== undefined;
    const autoscale = service.autoscale as Autoscale | undefined;
    if (hasReplicas && autoscale) {
      report(`${at}.autoscale`, `services.${name} has both replicas and autoscale`, 'they exclude each other: keep replicas for a fixed count, or autoscale for min/max');
    } else if (!hasReplicas && !autoscale) {
      report(at, `services.${name} needs replicas or autoscale`, 'add "replicas: 1" for a fixed count, or an autoscale block with min and max');
    }
    if (autoscale) checkAutoscale(`${at}.autoscale`, autoscale, report);
  }
  return diagnostics;
}

function checkAutoscale(at: string, auto: Autoscale, report: Report): void {
  if (typeof auto.min === 'number' && typeof auto.max === 'number') {
    if (auto.max < 1) report(`${at}.max`, 'autoscale.max must be at least 1', 'use "replicas: 0" to stop a service');
    else if (auto.min > auto.max) report(`${at}.min`, `autoscale.min (${auto.min}) is above autoscale.max (${auto.max})`, 'min must not exceed max');
    else if (auto.min === auto.max) report(`${at}.max`, `autoscale.min equals autoscale.max (${auto.max}): no scaling will happen`, 'use "replicas" for a fixed count, or raise max', 'warning');
    for (const key of ['initial', 'default'] as const) {
      const count = auto[key];
      if (typeof count === 'number' && (count < auto.min || count > auto.max)) {
        report(`${at}.${key}`, `autoscale.${key} (${count}) is outside min..max (${auto.min}..${auto.max})`, `set ${key} between ${auto.min} and ${auto.max}`);
      }
    }
    const pause = auto.pause;
    if (typeof pause === 'object' && pause.replicas !== undefined && pause.replicas > auto.max) {
      report(`${at}.pause.replicas`, `autoscale.pause.replicas (${pause.replicas}) is above max (${auto.max})`, 'lower it or raise max');
    }
    if (auto.fallback && auto.fallback.replicas > auto.max) {
      report(`${at}.fallback.replicas`, `autoscale.fallback.replicas (${auto.fallback.replicas}) is above max (${auto.max})`, 'lower it or raise max');
    }
  }
  const metrics = auto.metrics ?? [];
  metrics.forEach((metric, index) => checkMetric(`${at}.metrics[${metricKey(metrics, index)}]`, metric, report));
  const wakes = metrics.some((m) => m.type !== 'cpu' && m.type !== 'memory');
  if (auto.min === 0 && metrics.length > 0 && !wakes) {
    report(`${at}.min`, 'autoscale.min is 0 but only cpu/memory metrics are set: nothing would wake the service from zero', 'set min to 1, or add a concurrency, rps, queue or external metric');
  }
  if (auto.combine !== undefined) checkCombine(`${at}.combine`, auto.combine, metrics, report);
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const step = auto.behavior?.[direction]?.step;
    if (step && (step.count === undefined) === (step.percent === undefined)) {
      report(`${at}.behavior.${direction}.step`, 'a step rule needs exactly one of count (Azure ChangeCount) or percent (Azure PercentChangeCount)', 'e.g. step: { count: 2 }');
    }
  }
  const scheduleNames = new Set<string>();
  for (const schedule of auto.schedules ?? []) {
    const path = `${at}.schedules[${schedule.name}]`;
    if (scheduleNames.has(schedule.name)) report(`${path}.name`, `two schedules are named "${schedule.name}"`, 'give each schedule its own name');
    scheduleNames.add(schedule.name);
    checkSchedule(path, schedule, auto, report);
  }
}

function metricKey(metrics: Metric[], index: number): string {
  const type = metrics[index].type;
  const count = metrics.slice(0, index + 1).filter((m) => m.type === type).length;
  return count === 1 ? type : `${type}#${count}`;
}

function checkMetric(at: string, metric: Metric, report: Report): void {
  switch (metric.type) {
    case 'concurrency':
      if (metric.target === undefined && metric.limit === undefined) {
        report(at, 'a concurrency metric needs target (soft limit) or limit (hard limit)', 'e.g. { type: concurrency, target: 70, limit: 100 }');
      }
      if (metric.target !== undefined && metric.limit !== undefined && metric.target > metric.limit) {
        report(`${at}.target`, `concurrency target (${metric.target}) is above its limit (${metric.limit}): the smaller one, ${metric.limit}, is used`, 'lower target or raise limit', 'warning');
      }
      break;
    case 'cpu':
    case 'memory':
      if ((metric.utilization === undefined) === (metric.averageValue === undefined)) {
        report(at, `a ${metric.type} metric needs exactly one of utilization or averageValue`, `e.g. { type: ${metric.type}, utilization: 60 }`);
      }
      break;
    case 'external':
      if ((metric.value === undefined) === (metric.averageValue === undefined)) {
        report(at, 'an external metric needs exactly one of value (total) or averageValue (per instance)', 'e.g. averageValue: 100');
      }
      break;
    default:
      break;
  }
}

const FORMULA = /^[A-Za-z0-9_.+\-*/(), ]+$/;
const FUNCTIONS = new Set(['max', 'min', 'ceil', 'floor', 'round', 'abs']);

function checkCombine(at: string, combine: string, metrics: Metric[], report: Report): void {
  if (['max', 'min', 'avg'].includes(combine)) return;
  if (!FORMULA.test(combine)) {
    report(at, `combine "${combine}" is not max, min, avg or an arithmetic formula`, 'use metric types as names, numbers, + - * / ( ) and max/min/ceil/floor');
    return;
  }
  const types = new Set(metrics.map((m) => m.type));
  for (const name of combine.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    if (!types.has(name as Metric['type']) && !FUNCTIONS.has(name)) {
      report(at, `combine refers to "${name}", which is not one of this service's metric types`, `use: ${[...types].join(', ') || '(no metrics defined)'}`);
    }
  }
}

function checkSchedule(at: string, schedule: Schedule, auto: Autoscale, report: Report): void {
  const kinds = [schedule.recurring, schedule.dates, schedule.cron].filter((k) => k !== undefined).length;
  if (kinds !== 1) {
    report(at, `schedule "${schedule.name}" needs exactly one of recurring, dates or cron`, 'e.g. recurring: { days: [Mon, Fri], start: "08:00", end: "20:00" }');
  }
  if (schedule.cron !== undefined) {
    // The simulator's own parser: what validates is exactly what runs.
    try {
      compileCron(schedule.cron);
    } catch (error) {
      report(`${at}.cron`, `schedule "${schedule.name}": ${(error as Error).message}`, 'minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7), e.g. "0 8 * * 1-5"');
    }
    if (schedule.duration === undefined) report(at, `schedule "${schedule.name}" uses cron but has no duration`, 'add duration: 12h (how long each occurrence lasts)');
  }
  if (schedule.recurring && schedule.recurring.start === schedule.recurring.end) {
    report(`${at}.recurring.end`, `schedule "${schedule.name}" starts and ends at the same time`, 'an occurrence needs a length: change start or end');
  }
  if (schedule.dates) {
    const start = readScheduleDate(schedule.dates.start);
    const end = readScheduleDate(schedule.dates.end);
    for (const [key, date] of [['start', start], ['end', end]] as const) {
      if (!date) report(`${at}.dates.${key}`, `dates.${key} "${schedule.dates[key]}" is not a real date and time`, 'months run 01-12, days to the month\'s length, hours 00-23, minutes and seconds 00-59');
    }
    // Mixed local and zoned dates compare only in a zone; a local date is compared as UTC here.
    if (start && end && start.ms >= end.ms && start.zoned === end.zoned) {
      report(`${at}.dates.end`, `schedule "${schedule.name}" ends before it starts`, 'dates.end must be after dates.start');
    }
  }
  if (schedule.timezone !== undefined && !validTimeZone(schedule.timezone)) {
    report(`${at}.timezone`, `unknown time zone "${schedule.timezone}"`, 'use an IANA name such as Europe/Moscow or UTC');
  }
  if (schedule.min === undefined && schedule.max === undefined) {
    report(at, `schedule "${schedule.name}" changes neither min nor max`, 'add min and/or max');
  }
  const max = schedule.max ?? auto.max;
  const min = schedule.min ?? auto.min;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    report(`${at}.${schedule.min !== undefined ? 'min' : 'max'}`, `schedule "${schedule.name}" makes min (${min}) larger than max (${max})`, 'raise the schedule\'s max, or lower its min');
  }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// The position of a path, or of its nearest written ancestor.
export function nearestPlace(places: Map<string, Place>, path: string): Place {
  let current = path;
  while (current) {
    const found = places.get(current);
    if (found) return found;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut > 0 ? current.slice(0, cut) : '';
  }
  return { line: 1, col: 1 };
}
