// A command whose standard output is a number (`kind: command`, `command: "…"`), run by /bin/sh
// in scaling.yaml's folder with scalectl's environment (where credentials live). Not a KEDA
// scaler: a Kubernetes plan refuses it and says so.
import { execFile } from 'node:child_process';
import { parseNumber, SourceError, text, type MetricSource, type SourceContext } from './types.js';

export function commandSource(source: Record<string, string>, context: SourceContext): MetricSource {
  const command = text(source, 'command');
  if (!command) throw new SourceError('command source needs command (a shell command printing a number)');
  const shown = command.length > 60 ? `${command.slice(0, 60)}…` : command;
  const describe = `command ${JSON.stringify(shown)}`;
  return {
    describe,
    read(signal) {
      return new Promise((resolve, reject) => {
        execFile('/bin/sh', ['-c', command], { cwd: context.configDir, env: context.env, timeout: context.timeoutMs, signal, maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
          if (error) {
            const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
            const why = failure.killed ? `did not finish within ${context.timeoutMs / 1000}s` : typeof failure.code === 'number' ? `exited with ${failure.code}` : failure.message;
            const last = String(stderr).trim().split('\n').pop();
            reject(new SourceError(`${describe} ${why}${last ? `: ${last.slice(0, 200)}` : ''}`));
            return;
          }
          try {
            resolve(parseNumber(String(stdout), describe));
          } catch (parseError) {
            reject(parseError);
          }
        });
      });
    },
  };
}
