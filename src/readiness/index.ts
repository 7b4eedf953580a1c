// The readiness checker's public API: scan a source tree for what breaks with N replicas.
import { resolve } from 'node:path';
import { scanTree, type ScanResult } from './scanner.js';

// The finding record and the rule catalogue, for callers of scan().
export type { Finding } from '../plan/types.js';
export { CATEGORIES, loadRules, type ReadinessRule, type Category } from './rules.js';

// Scans `root` (files relative to it, `/`-separated) honouring `ignore` (rule ids, categories, paths).
// `cacheDir` (e.g. `<project>/.scalectl`) keeps per-file results keyed by content hash; `threads`
// caps the worker threads of a large scan (0: none).
export async function scan(options: { root: string; ignore?: string[]; onProgress?: (filesScanned: number) => void; cacheDir?: string; threads?: number }): Promise<ScanResult> {
  return scanTree({ root: resolve(options.root), ignore: options.ignore, onProgress: options.onProgress, cacheDir: options.cacheDir, threads: options.threads });
}
