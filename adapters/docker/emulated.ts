// Docker has no autoscaler: `scalectl autoscale` emulates one. What `apply` made true for a
// target's `autoscale` block is recorded under .scalectl/ (docker-autoscale.json), so `read`
// reports it and a plan is in sync once applied; the loop itself reads scaling.yaml.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Autoscale } from '../../src/config/model.js';
import { stateDir } from '../../src/autoscale/paths.js';
import { writeFileAtomic } from '../../src/init/atomic-write.js';

type Recorded = Record<string, Autoscale>;

const FILE = 'docker-autoscale.json';

const keyOf = (provider: string, target: string) => `${provider}/${target}`;

// The file's records (empty when absent or unreadable: the plan then shows the block as new).
function load(dir: string): Recorded {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { targets?: Recorded };
    return parsed.targets ?? {};
  } catch {
    return {};
  }
}

// The recorded autoscale blocks of one provider, for `read`.
export function emulatedStore(provider: string, configDir: string, env: NodeJS.ProcessEnv) {
  const dir = stateDir(configDir, env);
  return {
    read(): (target: string) => Autoscale | undefined {
      const records = load(dir);
      return (target) => records[keyOf(provider, target)];
    },
    // Records (or, with undefined, forgets) the block apply made true for `target`.
    write(target: string, autoscale: Autoscale | undefined): void {
      const records = load(dir);
      if (autoscale) records[keyOf(provider, target)] = structuredClone(autoscale);
      else delete records[keyOf(provider, target)];
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, FILE), `${JSON.stringify({ formatVersion: 1, targets: records }, null, 2)}\n`);
    },
  };
}
