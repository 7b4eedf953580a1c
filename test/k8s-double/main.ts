// Runs the double as its own process (for the bench): seeds Deployments, prints one JSON line
// { url, token, kubeconfig } and serves until stdin closes or SIGTERM. DOUBLE_LATENCY_MS delays answers.
import { RESOURCES } from './resources.js';
import { startK8sDouble } from './server.js';
import { workload } from './index.js';
import { handleResource } from './api.js';

// Seeds `count` Deployments named <prefix>-<i> through the same create path a client's POST takes.
function seedDeployments(double: Awaited<ReturnType<typeof startK8sDouble>>, prefix: string, count: number, namespace: string): void {
  const def = RESOURCES.find((d) => d.kind === 'Deployment')!;
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify(workload('Deployment', `${prefix}-${i}`, namespace, { replicas: 1 }));
    handleResource(double.store, { method: 'POST', def, namespace, query: new URLSearchParams(), contentType: 'application/json', body, table: false });
  }
}

const [count = '1000', namespace = 'bench', ...prefixes] = process.argv.slice(2);
const double = await startK8sDouble({ crds: { keda: false, knative: false }, latencyMs: Number(process.env.DOUBLE_LATENCY_MS ?? 0) });
for (const prefix of prefixes.length ? prefixes : ['app']) seedDeployments(double, prefix, Number(count), namespace);
double.requests.length = 0;
const kubeconfig = double.kubeconfig({ namespace });
process.stdout.write(`${JSON.stringify({ url: double.url, token: double.token, kubeconfig })}\n`);
const stop = () => void double.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
