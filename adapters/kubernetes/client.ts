// The Kubernetes connection: kubeconfig and context, typed API clients from @kubernetes/client-node
// (imported lazily), per-request timeouts, connection reuse, and errors as one clear line.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, resolve } from 'node:path';
import type * as K8s from '@kubernetes/client-node';
import type { AdapterContext } from '../contract.js';
import { AdapterError, StalePlanError } from '../../src/errors.js';
import { parseDuration } from '../../src/config/duration.js';

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

// What a failed call was doing, for the error line.
export interface CallSite { verb: string; object: string; namespace: string }

// A connected client for one provider.
export interface Kube {
  contextName: string;
  namespace: string;
  server: string;
  apps: K8s.AppsV1Api;
  autoscaling: K8s.AutoscalingV2Api;
  core: K8s.CoreV1Api;
  custom: K8s.CustomObjectsApi;
  apis: K8s.ApisApi;
  version: K8s.VersionApi;
  /** The provider's `timeout` in ms: each request's, and connecting plus discovery's together. */
  timeoutMs: number;
  /** The provider's name in scaling.yaml, for advice naming its settings. */
  providerName: string;
  /** Options for one call: timeout, connection reuse and, for patches, the content type. */
  options(patch?: PatchType): K8s.ConfigurationOptions;
  /** The AdapterError (or StalePlanError) for a failed call, as one line. */
  fail(error: unknown, site: CallSite, done?: string[]): Error;
  close(): void;
}

// The kubeconfig file(s) to load and where they were named: the provider setting, KUBECONFIG, or ~/.kube/config.
function kubeconfigPaths(ctx: AdapterContext): { paths: string[]; fromSetting: boolean } {
  const setting = ctx.provider.settings.kubeconfig;
  if (typeof setting === 'string' && setting) return { paths: [isAbsolute(setting) ? setting : resolve(ctx.configDir, setting)], fromSetting: true };
  const fromEnv = ctx.env.KUBECONFIG;
  if (fromEnv) return { paths: fromEnv.split(delimiter).filter(Boolean), fromSetting: false };
  return { paths: [resolve(ctx.env.HOME ?? homedir(), '.kube', 'config')], fromSetting: false };
}

// What to do about an unreadable kubeconfig: a wrong provider setting is fixed there, not by setting it again.
function kubeconfigAdvice(ctx: AdapterContext, fromSetting: boolean, error: unknown): string {
  if (!fromSetting) return `set providers.${ctx.provider.name}.kubeconfig or KUBECONFIG`;
  const setting = `providers.${ctx.provider.name}.kubeconfig`;
  return (error as { code?: unknown }).code === 'ENOENT'
    ? `the file named by ${setting} does not exist: fix the path`
    : `fix the file named by ${setting} (or the path)`;
}

// HTTP status of a client error, if the server answered.
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function serverMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  const parsed = typeof body === 'string' ? (() => { try { return JSON.parse(body); } catch { return undefined; } })() : body;
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

// The field manager every write names (managedFields, server-side apply conflicts).
export const FIELD_MANAGER = 'scalectl';
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

// A denial by an admission webhook: the API server words it `admission webhook "<name>" denied
// the request: <reason>` (k8s.io/apiserver pkg/admission/plugin/webhook/errors ToStatusErr), with
// the webhook's code — 403 from controller-runtime's admission.Denied (KEDA's vscaledobject.kb.io),
// 400 from knative.dev/pkg (validation.webhook.serving.knative.dev).
export function webhookOf(message: string): { name: string; reason: string } | undefined {
  const match = /admission webhook "([^"]+)" denied the request:?\s*([\s\S]*)/.exec(message);
  return match ? { name: match[1], reason: match[2].trim().replace(/\s*\n\s*/g, '; ') || 'no reason given' } : undefined;
}

// A 403: RBAC ("User … cannot patch resource …") names the verb to grant; a webhook or any other
// admission plugin is shown with the server's own reason, which says what to change.
function forbiddenMessage(site: CallSite, at: string, where: string, detail: string): string {
  const webhook = webhookOf(detail);
  if (webhook) return `the admission webhook "${webhook.name}" refused to let scalectl ${site.verb} ${at}: ${webhook.reason}`;
  if (!detail || /\bcannot \w+ resource\b/.test(detail)) return `forbidden to ${site.verb} ${at}: RBAC denies it — grant "${site.verb}" on it to the user of ${where}`;
  return `forbidden to ${site.verb} ${at}: ${detail}`;
}

// Loads the kubeconfig and builds the API clients (the heavy import happens here, once).
export async function connect(ctx: AdapterContext): Promise<Kube> {
  const k8s = await import('@kubernetes/client-node');
  const settings = ctx.provider.settings;
  const { paths, fromSetting } = kubeconfigPaths(ctx);
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(paths[0]);
    for (const extra of paths.slice(1)) {
      const more = new k8s.KubeConfig();
      more.loadFromFile(extra);
      kc.mergeConfig(more);
    }
  } catch (error) {
    throw new AdapterError('kubernetes', `cannot read kubeconfig ${paths.join(delimiter)}: ${(error as Error).message.split('\n')[0]} — ${kubeconfigAdvice(ctx, fromSetting, error)}`, { cause: error });
  }
  const wanted = typeof settings.context === 'string' ? settings.context : kc.getCurrentContext();
  const context = kc.getContextObject(wanted);
  if (!context) {
    const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
    throw new AdapterError('kubernetes', `context "${wanted}" is not in kubeconfig ${paths[0]} (contexts: ${known}) — fix providers.${ctx.provider.name}.context`);
  }
  kc.setCurrentContext(wanted);
  const cluster = kc.getCurrentCluster();
  const namespace = typeof settings.namespace === 'string' ? settings.namespace : context.namespace ?? 'default';
  const timeoutMs = parseDuration(String(settings.timeout ?? '30s')) ?? 30_000;
  const agents = new Map<unknown, HttpAgent>();
  const reuse = (agent: unknown): unknown => {
    // client-node builds a fresh agent per request; keep one keep-alive agent per kind instead.
    if (!(agent instanceof HttpAgent) && !(agent instanceof HttpsAgent)) return agent;
    const Kind = agent instanceof HttpsAgent ? HttpsAgent : HttpAgent;
    if (!agents.has(Kind)) agents.set(Kind, new Kind({ ...(agent as unknown as { options: object }).options, keepAlive: true, maxSockets: 64 }));
    return agents.get(Kind);
  };
  // The object-style API runs Observable middleware (client-node's own rxjs stub).
  const now = <T>(value: T) => new k8s.Observable(Promise.resolve(value));
  const base: K8s.ObservableMiddleware = {
    pre: (request) => {
      request.setAgent(reuse(request.getAgent()) as HttpAgent);
      request.setSignal(AbortSignal.timeout(timeoutMs) as never);
      // Every write names its field manager, so managedFields (and a GitOps tool's server-side
      // apply conflict) say "scalectl", not the HTTP library's user agent.
      request.setHeaderParam('User-Agent', FIELD_MANAGER);
      if (WRITES.has(String(request.getHttpMethod()))) request.setQueryParam('fieldManager', FIELD_MANAGER);
      return now(request);
    },
    post: (response) => now(response),
  };
  const where = `context ${wanted}`;
  const fail = (error: unknown, site: CallSite, done: string[] = []): Error => {
    const status = statusOf(error);
    const at = `${site.object} in namespace ${site.namespace} (${where})`;
    const detail = serverMessage(error);
    if (status === undefined) {
      const e = error as { name?: string; type?: string; code?: string; message?: string };
      if (e.name === 'AbortError' || e.type === 'aborted') {
        return new AdapterError('kubernetes', `timed out after ${timeoutMs} ms trying to ${site.verb} ${at}`, { retryable: true, done, cause: error });
      }
      const reason = e.code ?? e.message?.split('\n')[0] ?? String(error);
      const transient = ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'].includes(String(e.code));
      return new AdapterError('kubernetes', `cannot reach the Kubernetes API at ${cluster?.server} (${where}) to ${site.verb} ${site.object}: ${reason} — check that the cluster is up and the context is right`, { retryable: transient, done, cause: error });
    }
    if (status === 401) return new AdapterError('kubernetes', `the API server rejected the credentials of ${where} (401 Unauthorized) — refresh them with your cluster's login command`, { done, cause: error });
    if (status === 403) return new AdapterError('kubernetes', forbiddenMessage(site, at, where, detail), { done, cause: error });
    if (status === 404) return new AdapterError('kubernetes', `${at} not found — check target: and namespace, or create it first`, { done, cause: error });
    if (status === 409) return new StalePlanError(`${at} changed since the plan (${detail || '409 Conflict'}) — run scalectl plan again`, { cause: error });
    if (status === 422 || status === 400) {
      const webhook = webhookOf(detail);
      const text = webhook ? `the admission webhook "${webhook.name}" refused to let scalectl ${site.verb} ${at}: ${webhook.reason}` : `the API server refused to ${site.verb} ${at}: ${detail}`;
      return new AdapterError('kubernetes', text, { done, cause: error });
    }
    const retryable = status === 429 || status >= 500;
    return new AdapterError('kubernetes', `the API server answered ${status} to ${site.verb} ${at}${detail ? `: ${detail}` : ''}`, { retryable, done, cause: error });
  };
  return {
    contextName: wanted,
    namespace,
    server: cluster?.server ?? '',
    apps: kc.makeApiClient(k8s.AppsV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    apis: kc.makeApiClient(k8s.ApisApi),
    version: kc.makeApiClient(k8s.VersionApi),
    timeoutMs,
    providerName: ctx.provider.name,
    options: (patch) => {
      // The generated patch calls default to JSON Patch; the content type says which patch this is.
      const contentType: K8s.ObservableMiddleware = {
        pre: (request) => {
          if (patch) request.setHeaderParam('Content-Type', PATCH_CONTENT_TYPES[patch]);
          return now(request);
        },
        post: (response) => now(response),
      };
      return { middleware: patch ? [base, contentType] : [base], middlewareMergeStrategy: 'append' };
    },
    fail,
    close: () => {
      for (const agent of agents.values()) agent.destroy();
    },
  };
}
