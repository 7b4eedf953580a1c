// The Kubernetes API double: an HTTP server on 127.0.0.1 serving the real REST paths.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiFailure, handleResource } from './api.js';
import { coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { FaultPlan, type FaultOptions } from './faults.js';
import { writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { RESOURCES, type ResourceDef } from './resources.js';
import { Store } from './store.js';

// How to start a double: installed CRDs, faults, RBAC denials, latency.
export interface DoubleOptions {
  /** Which CRDs are installed (default: both). */
  crds?: { keda?: boolean; knative?: boolean };
  faults?: FaultOptions;
  /** Calls answered 403, e.g. [{ method: 'PATCH', resource: 'deployments/scale' }]. */
  forbid?: { method: string; resource: string }[];
  /** Serve requests that carry no credentials (default true: kubectl sends no token over plain http). */
  anonymous?: boolean;
  /** Delay before every answer, standing in for a real API server's round trip and etcd commit. */
  latencyMs?: number;
  /** How long a 'timeout' fault holds the request before answering 504 (default 10 s). */
  holdMs?: number;
  /** The minor version it reports (default 33). Before 22 → 23 it serves no autoscaling/v2. */
  minor?: number;
  /** Feature gates (a missing gate is on), e.g. { HPAConfigurableTolerance: false }. */
  gates?: Record<string, boolean>;
  /**
   * Per kind, dot paths the installed API / CRD version does not know, so it prunes them like
   * any unknown field, e.g. { ScaledObject: ['spec.fallback'] } for a KEDA before 2.1. Kept as
   * `double.older`: change it to upgrade (or downgrade) the server while it runs.
   */
  older?: Record<string, string[]>;
  /** Run the KEDA / Knative validating webhooks with their CRDs (default true). */
  webhooks?: boolean;
}

// One served request, for assertions ("dry run wrote nothing", "one PATCH per service").
export interface RequestRecord { method: string; path: string; contentType?: string; status: number; fault?: string; userAgent?: string }

// A running double.
export interface K8sDouble {
  url: string;
  token: string;
  store: Store;
  requests: RequestRecord[];
  crds: { keda: boolean; knative: boolean };
  forbid: { method: string; resource: string }[];
  /** The paths each kind's installed schema does not know (see DoubleOptions.older); mutable. */
  older: Record<string, string[]>;
  setFaults(options: FaultOptions | undefined): FaultPlan | undefined;
  resource(group: string, resource: string): ResourceDef;
  kubeconfig(options?: Partial<KubeconfigOptions>): string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, warnings: string[] = []): void {
  const text = JSON.stringify(body);
  // A dropped unknown field is a `Warning: 299 - "<text>"` header (fieldValidation=Warn).
  const warning = warnings.length ? { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...warning });
  res.end(text);
}

function statusBody(failure: ApiFailure): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: failure.message, reason: failure.reason, details: failure.details, code: failure.code };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Starts a double on a random loopback port.
export async function startK8sDouble(options: DoubleOptions = {}): Promise<K8sDouble> {
  const store = new Store();
  const token = `double-${randomBytes(12).toString('hex')}`;
  const crds = { keda: options.crds?.keda ?? true, knative: options.crds?.knative ?? true };
  const forbid = options.forbid ?? [];
  const older: Record<string, string[]> = { ...options.older };
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let faults = options.faults ? new FaultPlan(options.faults) : undefined;
  const minor = options.minor ?? 33;
  // autoscaling/v2 is GA in 1.23; older servers serve autoscaling/v1 and v2beta* only.
  const served = (def: ResourceDef) => !(def.group === 'autoscaling' && def.version === 'v2' && minor < 23);
  const enabled = () => RESOURCES.filter((def) => (!def.crd || crds[def.crd]) && served(def));

  const route = (method: string, url: URL, headers: IncomingMessage['headers'], body: string, warnings: string[]): { status: number; body: unknown } => {
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version') return { status: 200, body: versionInfo(minor) };
    if (url.pathname === '/api') return { status: 200, body: coreVersions() };
    if (url.pathname === '/apis') return { status: 200, body: groupList(enabled(), minor < 23 ? { autoscaling: ['v1', 'v2beta2'] } : {}) };
    const [root] = parts;
    const group = root === 'api' ? '' : parts[1];
    const version = root === 'api' ? parts[1] : parts[2];
    const rest = parts.slice(root === 'api' ? 2 : 3);
    const defs = enabled().filter((def) => def.group === group && def.version === version);
    if ((root !== 'api' && root !== 'apis') || defs.length === 0) {
      throw new ApiFailure(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (rest.length === 0) return { status: 200, body: resourceList(group ? `${group}/${version}` : version, defs) };
    let namespace: string | undefined;
    let tail = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      tail = rest.slice(2);
    } else if (rest[0] === 'namespaces' && rest.length === 2 && method === 'GET') {
      return { status: 200, body: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: rest[1] }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } };
    }
    const [resource, name, subresource] = tail;
    const def = defs.find((d) => d.resource === resource);
    if (!def) throw new ApiFailure(404, 'NotFound', 'the server could not find the requested resource');
    const forbidden = forbid.find((f) => f.method === method && f.resource === (subresource ? `${resource}/${subresource}` : resource));
    if (forbidden) {
      const verb = { GET: name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method;
      const what = def.group ? `resource "${forbidden.resource}" in API group "${def.group}"` : `resource "${forbidden.resource}" in API group ""`;
      throw new ApiFailure(403, 'Forbidden', `${def.group ? `${resource}.${def.group}` : resource} "${name ?? ''}" is forbidden: User "system:serviceaccount:ci:deployer" cannot ${verb} ${what} in the namespace "${namespace}"`, { name, group: def.group, kind: resource });
    }
    const accept = String(headers.accept ?? '');
    const answer = handleResource(store, {
      method, def, namespace, name, subresource, query: url.searchParams, body,
      contentType: String(headers['content-type'] ?? 'application/json'), table: accept.includes('as=Table'),
      userAgent: headers['user-agent'], gates: options.gates, older, webhooks: options.webhooks, warnings,
    });
    return answer;
  };

  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const record: RequestRecord = { method, path: url.pathname + url.search, contentType: req.headers['content-type'], status: 0, userAgent: req.headers['user-agent'] };
    requests.push(record);
    const auth = req.headers.authorization;
    if (auth === undefined ? options.anonymous === false : auth !== `Bearer ${token}`) {
      record.status = 401;
      return send(res, 401, statusBody(new ApiFailure(401, 'Unauthorized', 'Unauthorized')));
    }
    const discovery = /^\/(api|apis)(\/[^/]+){0,2}$/.test(url.pathname) && !url.pathname.startsWith('/api/v1/');
    const fault = discovery || url.pathname === '/version' ? undefined : faults?.decide(method, url.pathname);
    record.fault = fault;
    if (fault === 'timeout') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        record.status = 504;
        if (!res.destroyed) send(res, 504, statusBody(new ApiFailure(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded')));
      }, options.holdMs ?? 10_000);
      timers.add(timer);
      return;
    }
    if (fault === '500' || fault === '503' || fault === '409') {
      const failure = fault === '409'
        ? new ApiFailure(409, 'Conflict', `Operation cannot be fulfilled on ${url.pathname.split('/').slice(-2).join(' ')}: the object has been modified; please apply your changes to the latest version and try again`)
        : new ApiFailure(Number(fault), fault === '500' ? 'InternalError' : 'ServiceUnavailable', fault === '500' ? 'Internal error occurred: injected fault' : 'the server is currently unable to handle the request');
      record.status = failure.code;
      return send(res, failure.code, statusBody(failure));
    }
    try {
      const warnings: string[] = [];
      const answer = route(method, url, req.headers, body, warnings);
      record.status = fault === 'lost' ? 503 : answer.status;
      if (fault === 'lost') return send(res, 503, statusBody(new ApiFailure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')));
      send(res, answer.status, answer.body, warnings);
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`);
      record.status = failure.code;
      send(res, failure.code, statusBody(failure));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url, token, store, requests, crds, forbid, older,
    setFaults(next) {
      faults = next ? new FaultPlan(next) : undefined;
      return faults;
    },
    resource(group, resource) {
      const def = RESOURCES.find((d) => d.group === group && d.resource === resource);
      if (!def) throw new Error(`the double does not serve ${resource}.${group}`);
      return def;
    },
    kubeconfig: (extra = {}) => writeKubeconfig({ server: url, token, ...extra }),
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
