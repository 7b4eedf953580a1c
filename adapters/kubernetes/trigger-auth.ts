// Credentials out of emitted ScaledObjects: a trigger's connection string with a password in it
// (amqp://app:PASSWORD@…) or a secret-looking metadata key moves to a KEDA TriggerAuthentication
// that reads it from a Secret (keda.sh/v1alpha1 TriggerAuthentication spec.secretTargetRef:
// parameter, name, key). The Secret itself is never written: its value stays with the user.

type Obj = Record<string, any>;

// A URL carrying user:password@ before its host.
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;
// Metadata keys that hold a secret whatever their value looks like.
const SECRET_KEY = /password|passwd|secret|token|api[-_]?key|access[-_]?key|connection[-_]?string|sasl/i;

// True when trigger metadata `key: value` is a credential that must not be written inline.
export function isCredential(key: string, value: string): boolean {
  return URL_WITH_PASSWORD.test(value) || SECRET_KEY.test(key);
}

// One Secret the user has to create for the emitted manifests.
export interface NeededSecret { name: string; keys: string[] }

// Moves credentials of the ScaledObject's triggers into TriggerAuthentications (one per trigger
// that has any): returns those documents and the Secrets they read. Mutates `scaledObject`.
export function extractTriggerAuth(scaledObject: Obj, service: string): { documents: Obj[]; secrets: NeededSecret[] } {
  const documents: Obj[] = [];
  const secrets: NeededSecret[] = [];
  const namespace = scaledObject.metadata?.namespace;
  for (const [index, trigger] of ((scaledObject.spec?.triggers ?? []) as Obj[]).entries()) {
    const metadata: Record<string, string> = trigger.metadata ?? {};
    const keys = Object.keys(metadata).filter((key) => isCredential(key, String(metadata[key])));
    if (!keys.length) continue;
    const suffix = trigger.name ?? `${trigger.type}${index ? `-${index}` : ''}`;
    const secret = `${service}-${suffix}-keda`;
    for (const key of keys) delete metadata[key];
    trigger.authenticationRef = { name: secret };
    documents.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: secret, ...(namespace ? { namespace } : {}) },
      spec: { secretTargetRef: keys.map((key) => ({ parameter: key, name: secret, key })) },
    });
    secrets.push({ name: secret, keys });
  }
  return { documents, secrets };
}
