// The plan/apply gate's input: readiness findings per service that names a `source`.
import { join } from 'node:path';
import type { ScalingConfig } from '../config/model.js';
import type { Finding } from '../plan/types.js';
import { scan } from './index.js';

// Scans each service's `source` with its `readiness.ignore`; services without a source get no entry.
// Services sharing one source folder share one scan. Results are cached in `.scalectl/` next to
// scaling.yaml, keyed by file content, so an unchanged tree costs a read and a hash per file.
export async function collectFindings(config: ScalingConfig): Promise<Map<string, Finding[]>> {
  const byService = new Map<string, Finding[]>();
  const scans = new Map<string, Promise<Finding[]>>();
  for (const service of config.services) {
    if (service.source === undefined) continue;
    const ignore = service.readiness?.ignore ?? [];
    const key = `${service.source}\u0000${ignore.join('\u0000')}`;
    let pending = scans.get(key);
    if (!pending) {
      pending = scan({ root: service.source, ignore, cacheDir: join(config.dir, '.scalectl') }).then((result) => result.findings);
      scans.set(key, pending);
    }
    byService.set(service.name, await pending);
  }
  return byService;
}
