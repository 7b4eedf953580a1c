// init's environments: `--add-env staging` or the wizard's question add an `environments:` entry
// per name, pre-filled with each service's bounds (or count) to edit, keeping the rest of the file.
import { text as askText } from '@clack/prompts';
import { isMap, parse, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { WizardCancelled, type PromptIO } from './steps.js';
import { appendToMap, blockLines } from './yaml-edit.js';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

// "staging, prod" → ['staging', 'prod']; a bad or repeated name is a UsageError naming it.
export function parseEnvironmentNames(values: string[]): string[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!NAME.test(name)) throw new UsageError(`--add-env "${name}": an environment name takes letters, digits, "-", "_" and "." (e.g. staging, prod)`);
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new UsageError(`--add-env names "${repeated}" twice`);
  return names;
}

// The override a new environment starts with: each service's bounds or count, to edit.
function starter(text: string): Record<string, Record<string, unknown>> {
  const services = ((parse(text) as Record<string, unknown> | null)?.services ?? {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, service] of Object.entries(services)) {
    const autoscale = service?.autoscale as { min?: unknown; max?: unknown } | undefined;
    if (autoscale && autoscale.min !== undefined && autoscale.max !== undefined) out[name] = { autoscale: { min: autoscale.min, max: autoscale.max } };
    else if (service?.replicas !== undefined) out[name] = { replicas: service.replicas };
  }
  return out;
}

// Adds one entry under `environments:` (made when missing) per name; refuses a name already there.
export function addEnvironments(text: string, names: string[]): string {
  const block = parseDocument(text).get('environments');
  const taken = isMap(block) ? block.items.map((p) => String((p.key as { value: unknown }).value)) : [];
  const clash = names.find((name) => taken.includes(name));
  if (clash) throw new UsageError(`scaling.yaml already has environment "${clash}"; change it with scalectl set --env ${clash} <service> <path>=<value>`);
  let result = text;
  for (const name of names) {
    const services = starter(result);
    result = appendToMap(result, ['environments'], (indent) => {
      const step = 2;
      const head = [
        `${' '.repeat(indent)}# ${name}: what differs from the base above (maps merge, lists replace, null removes).`,
        `${' '.repeat(indent)}# Use it with --env ${name} or SCALECTL_ENV=${name}; it starts as the base's bounds: edit them.`,
      ];
      if (Object.keys(services).length === 0) return [...head, `${' '.repeat(indent)}${name}: {}`];
      return [...head, ...blockLines(name, { services }, indent, step)];
    });
  }
  return result;
}

// The wizard's question: which environments to add (none by default).
export async function environmentsStep(io: PromptIO): Promise<string[]> {
  const answer = await askText({
    ...io,
    message: 'Environments to add, comma-separated (e.g. staging, prod; Enter for none)',
    placeholder: 'none',
    defaultValue: '',
    validate: (value) => {
      try {
        parseEnvironmentNames([value ?? '']);
        return undefined;
      } catch (error) {
        return (error as Error).message.replace(/^--add-env /, '');
      }
    },
  });
  if (typeof answer !== 'string') throw new WizardCancelled();
  return parseEnvironmentNames([answer]);
}
