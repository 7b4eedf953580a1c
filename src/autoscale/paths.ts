// Where scalectl keeps its own files: SCALECTL_STATE_DIR, else .scalectl/ beside scaling.yaml
// (the same folder the mock cloud uses); a scaling.yaml environment's in env/<name>/ under it.
import { isAbsolute, join, resolve } from 'node:path';

export function stateDir(configDir: string, env: NodeJS.ProcessEnv, environment?: string): string {
  const folder = env.SCALECTL_STATE_DIR || '.scalectl';
  const base = isAbsolute(folder) ? folder : resolve(configDir, folder);
  return environment ? join(base, 'env', environment) : base;
}
