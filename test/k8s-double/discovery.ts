// Discovery documents (/api, /apis, /apis/<group>/<version>) built from the served resources.
import type { ResourceDef } from './resources.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

// APIVersions for /api.
export function coreVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

// APIGroupList for /apis: one entry per group with at least one enabled resource.
export function groupList(resources: ResourceDef[], extra: Record<string, string[]> = {}): object {
  const groups = new Map<string, Set<string>>();
  for (const [group, versions] of Object.entries(extra)) groups.set(group, new Set(versions));
  for (const def of resources) {
    if (def.group === '') continue;
    if (!groups.has(def.group)) groups.set(def.group, new Set());
    groups.get(def.group)!.add(def.version);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => {
      const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

// APIResourceList for one group/version, subresources included.
export function resourceList(groupVersion: string, resources: ResourceDef[]): object {
  const out: object[] = [];
  for (const def of resources) {
    out.push({
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...VERBS, 'deletecollection'],
      shortNames: def.shortNames,
      ...(def.crd ? { categories: ['all'] } : {}),
    });
    if (def.scale) {
      out.push({ name: `${def.resource}/scale`, singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
    out.push({ name: `${def.resource}/status`, singularName: '', namespaced: def.namespaced, kind: def.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: out };
}

// GET /version, as a 1.<minor> server answers it.
export function versionInfo(minor = 33): object {
  return {
    major: '1', minor: String(minor), gitVersion: `v1.${minor}.0-scalectl-double`, gitCommit: '0000000', gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.24', compiler: 'gc', platform: 'linux/amd64',
  };
}
