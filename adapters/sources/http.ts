// An HTTP endpoint returning a number, with KEDA's metrics-api trigger keys: `url` and
// `valueLocation` (a dotted path into the JSON answer, e.g. "queue.depth" or "workers.0.load").
// Without valueLocation the whole answer must be a number (plain text or JSON).
import { getText, parseJson } from './http-json.js';
import { noPasswordInFile, parseNumber, redactUrl, SourceError, text, type MetricSource, type SourceContext } from './types.js';

export function httpSource(source: Record<string, string>, context: SourceContext): MetricSource {
  const url = text(source, 'url');
  if (!url) throw new SourceError('metrics-api source needs url');
  noPasswordInFile(url, 'url', undefined);
  if (source.format && source.format !== 'json') throw new SourceError(`metrics-api source: format ${source.format} is not supported by scalectl autoscale; use json (or a plain number)`);
  const location = text(source, 'valueLocation');
  const describe = `${redactUrl(url)}${location ? ` (${location})` : ''}`;
  return {
    describe,
    async read(signal) {
      const body = await getText(url, context.timeoutMs, describe, signal);
      if (!location) return parseNumber(body, describe);
      let value: unknown = parseJson(body, describe);
      for (const part of location.split('.')) {
        if (value === null || typeof value !== 'object') throw new SourceError(`${describe}: nothing at ${location}`);
        value = (value as Record<string, unknown>)[part];
      }
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string') return parseNumber(value, describe);
      throw new SourceError(`${describe}: ${value === undefined ? `nothing at ${location}` : `${location} is not a number`}`);
    },
  };
}
