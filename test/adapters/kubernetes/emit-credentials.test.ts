// `plan --emit` writes manifests meant for git: a credential in a trigger's connection string never
// goes inline; a KEDA TriggerAuthentication reads it from a Secret the user creates.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitManifests, manifestsFor } from '../../../adapters/kubernetes/emit.js';
import { isCredential } from '../../../adapters/kubernetes/trigger-auth.js';
import type { ServiceSpec } from '../../../src/config/model.js';

const PASSWORD = 'hunter2-s3cret';
const queue = (connection: string): ServiceSpec => ({
  autoscale: { min: 1, max: 10, metrics: [{ type: 'queue', source: { kind: 'rabbitmq', queue: 'orders', connection }, perInstance: 20 }] },
});

describe('emitted ScaledObjects carry no credential', () => {
  it('a connection URL with a password becomes a TriggerAuthentication reading a Secret', () => {
    const docs = manifestsFor({ service: 'worker', target: 'deployment/worker', desired: queue(`amqp://app:${PASSWORD}@rabbit:5672/`), extensions: {} }, { namespace: 'shop' });
    expect(docs.map(([file]) => file)).toEqual(['worker-scaledobject.yaml', 'worker-rabbitmq-keda-triggerauthentication.yaml']);
    const [, scaledObject] = docs[0];
    expect(scaledObject.spec.triggers[0]).toEqual({ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'orders', value: '20' }, authenticationRef: { name: 'worker-rabbitmq-keda' } });
    const [, auth, note] = docs[1];
    expect(auth).toEqual({
      apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'worker-rabbitmq-keda', namespace: 'shop' },
      spec: { secretTargetRef: [{ parameter: 'host', name: 'worker-rabbitmq-keda', key: 'host' }] },
    });
    expect(note).toContain('kubectl create secret generic worker-rabbitmq-keda -n shop --from-literal=host=…');
    expect(JSON.stringify(docs)).not.toContain(PASSWORD);
  });

  it('the written files never contain the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-emit-'));
    try {
      await emitManifests([{ service: 'worker', target: 'deployment/worker', desired: queue(`amqp://app:${PASSWORD}@rabbit:5672/`), extensions: {} }], {}, dir);
      const files = readdirSync(dir);
      expect(files.sort()).toEqual(['worker-rabbitmq-keda-triggerauthentication.yaml', 'worker-scaledobject.yaml']);
      for (const file of files) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(PASSWORD);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an address without credentials, or read from the environment, stays as it is', () => {
    for (const connection of ['amqp://rabbit:5672/', 'env:AMQP_URL']) {
      const docs = manifestsFor({ service: 'worker', target: 'deployment/worker', desired: queue(connection), extensions: {} }, {});
      expect(docs).toHaveLength(1);
      expect(docs[0][1].spec.triggers[0].authenticationRef).toBeUndefined();
    }
  });

  it('knows a credential by a password in a URL or by a secret-looking key', () => {
    expect(isCredential('host', 'amqp://u:p@h/')).toBe(true);
    expect(isCredential('address', 'redis://:p@h:6379')).toBe(true);
    expect(isCredential('host', 'amqp://u@h/')).toBe(false);
    expect(isCredential('password', 'x')).toBe(true);
    expect(isCredential('queueName', 'orders')).toBe(false);
  });
});
