// Helpers for config tests: parse text as if it were /project/scaling.yaml.
import { parseConfig } from '../../src/config/load.js';
import { ConfigError, type Diagnostic } from '../../src/errors.js';
import type { ScalingConfig } from '../../src/config/model.js';

// Parses YAML text; throws if it is invalid.
export function parse(text: string, env: NodeJS.ProcessEnv = {}): ScalingConfig {
  return parseConfig(text, '/project/scaling.yaml', env, '/project');
}

// The diagnostics of invalid YAML text (fails the test if it is valid).
export function problems(text: string, env: NodeJS.ProcessEnv = {}): Diagnostic[] {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the config to be invalid, but it parsed');
}

// Errors only, formatted "line:col message (hint)".
export function errorLines(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  return problems(text, env)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.line}:${d.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
}

// A minimal valid file around one service body (indented by the caller at 4 spaces).
export function withService(body: string): string {
  return `version: 1\nservices:\n  web:\n${body}`;
}
