// Prometheus instant query, with KEDA's trigger metadata keys: `serverAddress`, `query`,
// `ignoreNullValues` (default true: an empty result is 0, as KEDA), `namespace` (a tenant header).
import { getText, parseJson } from './http-json.js';
import { noPasswordInFile, redactUrl, SourceError, text, type MetricSource, type SourceContext } from './types.js';

export function prometheusSource(source: Record<string, string>, context: SourceContext): MetricSource {
  const server = text(source, 'serverAddress');
  if (!server) throw new SourceError('prometheus source needs serverAddress (e.g. http://127.0.0.1:9090)');
  noPasswordInFile(server, 'serverAddress', undefined);
  const query = text(source, 'query');
  if (!query) throw new SourceError('prometheus source needs query');
  const ignoreNull = (source.ignoreNullValues ?? 'true') !== 'false';
  const url = `${server.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const describe = `prometheus query ${JSON.stringify(query.length > 60 ? `${query.slice(0, 60)}…` : query)} at ${redactUrl(server)}`;
  const headers: Record<string, string> = source.namespace ? { 'X-Scope-OrgID': source.namespace } : {};
  return {
    describe,
    async read(signal) {
      const body = await getText(url, context.timeoutMs, describe, signal, headers);
      const answer = parseJson(body, describe) as { status?: string; error?: string; data?: { resultType?: string; result?: any } };
      if (answer.status !== 'success') throw new SourceError(`${describe}: ${answer.error ?? 'the query failed'}`);
      const { resultType, result } = answer.data ?? {};
      let raw: unknown;
      if (resultType === 'scalar' || resultType === 'string') raw = result?.[1];
      else if (resultType === 'vector') {
        if (result.length === 0) {
          if (ignoreNull) return 0;
          throw new SourceError(`${describe}: the query returned no series (ignoreNullValues: false)`);
        }
        // KEDA refuses more than one series: the query must aggregate (sum(…)).
        if (result.length > 1) throw new SourceError(`${describe}: the query returned ${result.length} series; aggregate it to one (e.g. sum(…))`);
        raw = result[0].value?.[1];
      } else throw new SourceError(`${describe}: a ${resultType} result; an instant query must give a scalar or one series`);
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new SourceError(`${describe}: the value is ${String(raw)}`);
      return value;
    },
  };
}
