// scaling.yaml texts several end-to-end tests share.

// The mock cloud's `worker` scaling on a queue read from `source` (a YAML flow mapping), evaluated
// every second and scaled in at once; `scaleUp`: a rate policy (`{ pods: 2, period: 30m }`);
// `more`: further services, indented two spaces.
export function queueWorkerYaml(options: { source: string; perInstance?: number | string; scaleUp?: string; more?: string }): string {
  return `version: 1
services:
  worker:
    target: worker
    autoscale:
      min: 1
      max: 10
      metrics:
        - type: queue
          perInstance: ${options.perInstance ?? 10}
          source: ${options.source}
      behavior:
        evaluationInterval: 1s
${options.scaleUp ? `        scaleUp:\n          policies: [${options.scaleUp}]\n` : ''}        scaleDown:
          stabilization: 0s
${options.more ?? ''}`;
}
