// The Kubernetes adapter passes the same contract suite as every adapter, against the API double.
import { seed, startK8sDouble, workload } from '../../k8s-double/index.js';
import { adapterContract } from '../contract/suite.js';
import { adapterFor } from './helpers.js';

for (const kind of ['Deployment', 'StatefulSet'] as const) {
  adapterContract(`kubernetes ${kind.toLowerCase()}`, async () => {
    const double = await startK8sDouble();
    await seed(double, workload(kind, 'web', 'shop', { replicas: 1 }));
    const adapter = await adapterFor(double);
    return {
      adapter,
      target: `${kind.toLowerCase()}/web`,
      cleanup: async () => {
        await adapter.close?.();
        await double.close();
      },
    };
  });
}
