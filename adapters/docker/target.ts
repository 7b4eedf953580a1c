import { AdapterError } from '../../src/errors.js';
import { ADAPTER } from './client.js';

// The three shapes of a Docker `target:` string and their parser.

// A Compose service's replicas, a Swarm service, or scalectl-managed replicas of a template.
export type DockerTarget =
  | { kind: 'compose'; project: string; service: string }
  | { kind: 'swarm'; name: string }
  | { kind: 'container'; name: string };

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const EXAMPLES = '"compose:shop/web", "service/web" (Swarm) or "container/worker" (scalectl-managed replicas)';

// Parses a target; returns the message (what was expected, with examples) when it has no known shape.
export function parseDockerTarget(target: string): DockerTarget | string {
  const compose = /^compose:([^/]+)\/([^/]+)$/.exec(target);
  if (compose) {
    const [, project, service] = compose;
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(project)) {
      return `Compose project "${project}" in target "${target}" must be lowercase letters, digits, "-" or "_" (as Compose normalises it), e.g. "compose:shop/web"`;
    }
    if (!NAME.test(service)) return `Compose service "${service}" in target "${target}" is not a valid service name; expected e.g. "compose:shop/web"`;
    return { kind: 'compose', project, service };
  }
  const other = /^(service|container)\/(.+)$/.exec(target);
  if (other) {
    const [, kind, name] = other;
    if (!NAME.test(name)) return `"${name}" in target "${target}" is not a valid Docker name (letters, digits, "_", ".", "-"); expected ${EXAMPLES}`;
    return kind === 'service' ? { kind: 'swarm', name } : { kind: 'container', name };
  }
  return `target "${target}" is not a Docker target; expected ${EXAMPLES}`;
}

// The parsed target, for callers that already validated it with parseTarget.
export function mustParse(target: string): DockerTarget {
  const parsed = parseDockerTarget(target);
  if (typeof parsed === 'string') throw new AdapterError(ADAPTER, parsed);
  return parsed;
}
