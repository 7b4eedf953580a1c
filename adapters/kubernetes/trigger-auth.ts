// Credentials out of emitted ScaledObjects: a trigger's connection string with a password in it
// (amqp://app:PASSWORD@…) or a secret-looking metadata key moves to a KEDA TriggerAuthentication
// that reads it from a Secret (keda.sh/v1alpha1 TriggerAuthentication spec.secretTargetRef:
// parameter, name, key). `plan --emit` never writes the Secret (its value stays with the user); a
// live apply creates it, and the ScaledObject keeps only a digest of each value (in an
// annotation) so that a plan can tell an unchanged credential from a changed one.
import { seal, sealCredential } from '../../src/util/redact.js';

type Obj = Record<string, any>;

// A URL carrying user:password@ before its host.
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;
// Metadata keys that hold a secret whatever their value looks like.
const SECRET_KEY = /password|passwd|secret|token|api[-_]?key|access[-_]?key|connection[-_]?string|sasl/i;

// True when trigger metadata `key: value` is a credential that must not be written inline.
export function isCredential(key: string, value: string): boolean {
  return URL_WITH_PASSWORD.test(value) || SECRET_KEY.test(key);
}

// One Secret the emitted manifests read (`values`: what it must hold, never written to a file).
export interface NeededSecret { name: string; keys: string[]; values: Record<string, string> }

/** Where a ScaledObject keeps the digests of its triggers' credentials: {"<trigger index>": {key: digest}}. */
export const CREDENTIALS_ANNOTATION = 'scalectl.dev/trigger-credentials';

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
    const values = Object.fromEntries(keys.map((key) => [key, String(metadata[key])]));
    for (const key of keys) delete metadata[key];
    trigger.authenticationRef = { name: secret };
    documents.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: secret, ...(namespace ? { namespace } : {}) },
      spec: { secretTargetRef: keys.map((key) => ({ parameter: key, name: secret, key })) },
    });
    secrets.push({ name: secret, keys, values });
  }
  return { documents, secrets };
}

// For a live apply: moves the credentials out as `extractTriggerAuth` does and records their
// digests in CREDENTIALS_ANNOTATION. Mutates `scaledObject`.
export function extractForCluster(scaledObject: Obj, service: string): { documents: Obj[]; secrets: NeededSecret[] } {
  const digests: Record<string, Record<string, string>> = {};
  (scaledObject.spec?.triggers ?? []).forEach((trigger: Obj, index: number) => {
    const metadata: Record<string, string> = trigger.metadata ?? {};
    const keys = Object.keys(metadata).filter((key) => isCredential(key, String(metadata[key])));
    if (keys.length) digests[index] = Object.fromEntries(keys.map((key) => [key, sealCredential(String(metadata[key]))]));
  });
  const moved = extractTriggerAuth(scaledObject, service);
  if (Object.keys(digests).length) {
    scaledObject.metadata.annotations = { ...scaledObject.metadata.annotations, [CREDENTIALS_ANNOTATION]: JSON.stringify(digests) };
  }
  return moved;
}

// A live ScaledObject's triggers with their credentials back in the metadata, as far as the
// digests tell: the desired value where its digest matches, else the stored digest (a change,
// shown as ***). `candidates` are the values the desired sources render to. Returns a copy.
export function restoreCredentials(scaledObject: Obj, candidates: string[]): Obj {
  let digests: Record<string, Record<string, string>>;
  try {
    digests = JSON.parse(scaledObject.metadata?.annotations?.[CREDENTIALS_ANNOTATION] ?? '{}');
  } catch {
    return scaledObject;
  }
  if (!Object.keys(digests).length) return scaledObject;
  const copy = structuredClone(scaledObject);
  (copy.spec?.triggers ?? []).forEach((trigger: Obj, index: number) => {
    const stored = digests[index];
    if (!stored || !trigger.authenticationRef) return;
    for (const [key, digest] of Object.entries(stored)) {
      trigger.metadata = { ...trigger.metadata, [key]: candidates.find((value) => sealCredential(value) === digest) ?? String(digest) };
    }
    delete trigger.authenticationRef;
  });
  return copy;
}

// A metric source as an annotation may keep it: URL passwords and known secrets as digests, and
// the value of a secret-looking key as one digest.
export function sealSource(source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).map(([key, value]) => [key, typeof value === 'string' && isCredential(key, value) ? sealCredential(value) : seal(value)]));
}
