// Writes a kubeconfig pointing at a double, for tests, kubectl and the bench.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

// What the generated kubeconfig points at.
export interface KubeconfigOptions {
  server: string;
  /** Bearer token; omitted for a credential-less user (what kubectl needs over plain http). */
  token?: string;
  /** Context name (default "double"). */
  context?: string;
  namespace?: string;
  /** Extra contexts on the same cluster and user, e.g. to test `context:` selection. */
  extraContexts?: { name: string; namespace?: string }[];
  /** Folder to write into (default: a new temp folder). */
  dir?: string;
}

// The kubeconfig document (plain http needs insecure-skip-tls-verify for client-node).
export function kubeconfigDocument(options: KubeconfigOptions): object {
  const context = options.context ?? 'double';
  const contexts = [{ name: context, namespace: options.namespace }, ...(options.extraContexts ?? [])];
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'double-cluster', cluster: { server: options.server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'double-user', user: options.token ? { token: options.token } : {} }],
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: 'double-cluster', user: 'double-user', ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    'current-context': context,
    preferences: {},
  };
}

// Writes the kubeconfig and returns its path.
export function writeKubeconfig(options: KubeconfigOptions): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'scalectl-kube-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, stringify(kubeconfigDocument(options)), { mode: 0o600 });
  return path;
}
