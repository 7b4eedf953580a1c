// The double's etcd: objects by resource/namespace/name, one global resourceVersion counter.
import { randomUUID } from 'node:crypto';
import type { Obj, ResourceDef } from './resources.js';

function key(def: ResourceDef, namespace: string, name: string): string {
  return `${def.group}/${def.resource}/${namespace}/${name}`;
}

// Stored objects plus the last configuration each field manager applied (server-side apply).
export class Store {
  private readonly objects = new Map<string, Obj>();
  private readonly applied = new Map<string, Obj>();
  private version = 1000;

  // The resourceVersion a list would report now.
  currentVersion(): string {
    return String(this.version);
  }

  nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }

  get(def: ResourceDef, namespace: string, name: string): Obj | undefined {
    return this.objects.get(key(def, namespace, name));
  }

  list(def: ResourceDef, namespace?: string): Obj[] {
    const prefix = namespace === undefined ? `${def.group}/${def.resource}/` : `${def.group}/${def.resource}/${namespace}/`;
    const out: Obj[] = [];
    for (const [k, obj] of this.objects) if (k.startsWith(prefix)) out.push(obj);
    return out;
  }

  put(def: ResourceDef, obj: Obj): void {
    this.objects.set(key(def, obj.metadata.namespace, obj.metadata.name), obj);
  }

  delete(def: ResourceDef, namespace: string, name: string): void {
    this.objects.delete(key(def, namespace, name));
    for (const k of this.applied.keys()) if (k.startsWith(`${key(def, namespace, name)}#`)) this.applied.delete(k);
  }

  lastApplied(def: ResourceDef, namespace: string, name: string, manager: string): Obj | undefined {
    return this.applied.get(`${key(def, namespace, name)}#${manager}`);
  }

  recordApplied(def: ResourceDef, namespace: string, name: string, manager: string, config: Obj): void {
    this.applied.set(`${key(def, namespace, name)}#${manager}`, config);
  }

  // Stamps server-owned metadata on a new object.
  stampNew(obj: Obj): void {
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.generation = 1;
    obj.metadata.resourceVersion = this.nextVersion();
  }

  // Removes everything (between tests).
  clear(): void {
    this.objects.clear();
    this.applied.clear();
  }
}
