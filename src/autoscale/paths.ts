// Where scalectl keeps its own files: SCALECTL_STATE_DIR, else .scalectl/ beside scaling.yaml
// (the same folder the mock cloud uses).
import { isAbsolute, resolve } from 'node:path';

export function stateDir(configDir: string, env: NodeJS.ProcessEnv): string {
  const folder = env.SCALECTL_STATE_DIR || '.scalectl';
  return isAbsolute(folder) ? folder : resolve(configDir, folder);
}
