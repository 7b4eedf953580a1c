// The entry point: declares commands (each action imports its module lazily), builds the
// context, and is the only place that turns errors into messages and exit codes.
import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, EXIT, ScalectlError, formatDiagnostic, invalidFileDocument } from '../errors.js';
import { redact, redactJson } from '../util/redact.js';
import { decideColor, makeContext, type CliIO, type CommandContext, type GlobalOptions } from './context.js';

declare const SCALECTL_VERSION: string | undefined;

// The version baked in at build time (falls back for tests run from source).
export const VERSION = typeof SCALECTL_VERSION === 'string' ? SCALECTL_VERSION : '0.0.0-dev';

// A whole number ≥ min for a flag, or an error naming the flag and what it got.
function parseCount(flag: string, min: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${flag} takes a whole number of at least ${min}, got "${value}"`);
    return Number(value);
  };
}

const EXAMPLES: Record<string, string> = {
  root: `
Examples:
  $ scalectl validate                     check scaling.yaml
  $ scalectl plan                         what would change, field by field
  $ scalectl plan --out plan.json         save a plan for review
  $ scalectl apply plan.json              apply exactly the reviewed plan
  $ scalectl apply --yes                  plan and apply in CI
  $ scalectl show                         live state and drift
  $ scalectl check ./services/bot         is the code safe to run as N replicas?

Exit codes: 0 ok/no changes, 1 error, 2 changes (plan --detailed-exitcode),
3 readiness findings or gate, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).`,
  plan: `
Examples:
  $ scalectl plan
  $ scalectl plan web api --explain
  $ scalectl plan --out plan.json --detailed-exitcode   # exit 2 when something changes`,
  apply: `
Examples:
  $ scalectl apply                  # shows the plan and asks (on a terminal)
  $ scalectl apply --yes            # CI: no question
  $ scalectl apply plan.json        # a saved plan; refused when stale
  $ scalectl apply --dry-run`,
  simulate: `
Examples:
  $ scalectl simulate web --load "rps=steps(100,800@10m,100@30m)" --duration 1h
  $ scalectl simulate web --load "rps=daily(50,900,14:00,Europe/Moscow)+noise(40)" --duration 24h --html report.html
  $ scalectl simulate web --load trace.csv --json
  $ scalectl simulate web --load "concurrency=ramp(0,120,5m,10m)" --compare other/scaling.yaml`,
  check: `
Examples:
  $ scalectl check                              # every service's source: in scaling.yaml
  $ scalectl check ./services/bot
  $ scalectl check --format sarif --fail-on never > scalectl.sarif
  $ scalectl check --format github              # annotations in a GitHub Actions log`,
  init: `
Examples:
  $ scalectl init                                   # asks, on a terminal
  $ scalectl init --yes --service web=autoscale:concurrency:2..20:70/100 --source web=./web
  $ scalectl init --yes --provider kubernetes --context prod --namespace shop
  $ scalectl init --yes --add-env staging --add-env prod   # add environments to scaling.yaml`,
  set: `
Examples:
  $ scalectl set web autoscale.max=30
  $ scalectl set web autoscale.metrics[concurrency].target=80 --dry-run
  $ scalectl set bot replicas=1
  $ scalectl set --env prod web autoscale.max=40        # the prod override`,
  autoscale: `
Examples:
  $ scalectl autoscale                    # every autoscaled mock/Docker service, until Ctrl-C or SIGTERM
  $ scalectl autoscale worker --once      # one evaluation (cron, CI); exit 1 when a source is unreadable
  $ scalectl autoscale --once --dry-run   # what it would do now`,
  events: `
Examples:
  $ scalectl events
  $ scalectl events worker --since 1h --json`,
  show: `
Examples:
  $ scalectl show
  $ scalectl show web --json`,
};

type Runner = (ctx: CommandContext) => Promise<number>;

// --allow-adapter values: paths resolved (symlinks too) against the current folder; package names as given.
function allowedAdapters(values: string[] | undefined, cwd: string): string[] {
  return (values ?? []).map((value) => {
    if (!value.startsWith('.') && !isAbsolute(value)) return value;
    const path = resolve(cwd, value);
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  });
}

// Builds the commander program; `execute` runs a command module with the context.
export function buildProgram(execute: (command: Command, runner: Runner) => Promise<void>): Command {
  const program = new Command('scalectl')
    .description('Plan and apply how every service of an application scales: one scaling.yaml for the mock cloud, Docker and Kubernetes.')
    .version(VERSION, '--version', 'print the version')
    .option('-f, --file <path>', 'scaling.yaml to use (default: the nearest one walking up from here)')
    .option('--env <name>', 'the environment of scaling.yaml to use (also SCALECTL_ENV; default: the base)')
    .option('--allow-adapter <path-or-package>', 'run this third-party adapter although it lies outside the project folder (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--json', 'print data as JSON on stdout')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'print debug details and stack traces')
    // Every command's --help lists the global flags too (commands inherit this setting).
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXAMPLES.root)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(plainUsageError(text)) });

  program
    .command('validate')
    .description('check scaling.yaml: every problem with file:line:col and the fix')
    .action((_o, command: Command) => execute(command, async (ctx) => (await import('./validate.js')).run({}, ctx)));

  program
    .command('show')
    .description('live state from the providers: instances, bounds, drift from the file')
    .argument('[services...]', 'only these services')
    .addHelpText('after', EXAMPLES.show)
    .action((services: string[], _o, command: Command) => execute(command, async (ctx) => (await import('./show.js')).run({ services }, ctx)));

  program
    .command('plan')
    .description('what would change to make the live state match scaling.yaml')
    .argument('[services...]', 'only these services')
    .option('--out <file>', 'save the plan as JSON for `scalectl apply <file>`')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when something does, 1 on errors')
    .option('--explain', 'for autoscaled services: why the engine holds the count it does')
    .option('--emit <dir>', 'write Kubernetes manifests (HPA, ScaledObject, patches) to <dir> for GitOps')
    .option('--force', 'plan more than one instance despite readiness error findings')
    .option('--summary', 'append a Markdown summary to $GITHUB_STEP_SUMMARY (when set)')
    .addHelpText('after', EXAMPLES.plan)
    .action((services: string[], o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) =>
        (await import('./plan.js')).run(
          { services, out: o.out as string | undefined, detailedExitcode: Boolean(o.detailedExitcode), explain: Boolean(o.explain), emit: o.emit as string | undefined, force: Boolean(o.force), summary: Boolean(o.summary) },
          ctx,
        ),
      ),
    );

  program
    .command('apply')
    .description('make the live state match: a fresh plan, or a saved plan file')
    .argument('[plan-or-services...]', 'a saved plan (*.json), or service names')
    .option('-y, --yes', 'apply without asking')
    .option('--dry-run', 'ask the providers to validate the changes; change nothing')
    .option('--force', 'apply more than one instance despite readiness error findings')
    .addOption(new Option('--concurrency <n>', 'services applied at once').default(4).argParser(parseCount('--concurrency', 1)))
    .option('--summary', 'append a Markdown summary to $GITHUB_STEP_SUMMARY (when set)')
    .addHelpText('after', EXAMPLES.apply)
    .action((args: string[], o: Record<string, unknown>, command: Command) => {
      const planFile = args.find((a) => a.endsWith('.json'));
      const services = args.filter((a) => a !== planFile);
      return execute(command, async (ctx) =>
        (await import('./apply.js')).run(
          { planFile, services, yes: Boolean(o.yes), dryRun: Boolean(o.dryRun), force: Boolean(o.force), concurrency: o.concurrency as number, summary: Boolean(o.summary) },
          ctx,
        ),
      );
    });

  program
    .command('check')
    .description('readiness checker: what breaks when this code runs as several replicas')
    .argument('[path]', 'source folder (default: every service\'s `source:`, or the current folder)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 3 when a finding is at least this severe').choices(['error', 'warning', 'never']).default('error'))
    .option('--summary', 'append a Markdown summary to $GITHUB_STEP_SUMMARY (when set)')
    .option('--threads <n>', 'worker threads for a large scan (default: one per CPU; 0: no worker threads)')
    .addHelpText('after', EXAMPLES.check)
    .action((path: string | undefined, o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) =>
        // The global --json means JSON here too, unless --format says otherwise.
        (await import('./check.js')).run(
          { path, format: (ctx.globals.json && command.getOptionValueSource('format') === 'default' ? 'json' : o.format) as 'text', failOn: o.failOn as 'error', summary: Boolean(o.summary), threads: o.threads as string | undefined },
          ctx,
        ),
      ),
    );

  program
    .command('simulate')
    .description('run a service\'s policy against a load curve on the autoscaling engine')
    .argument('<service>', 'the service whose policy to simulate')
    .requiredOption('--load <spec>', 'a CSV/JSON trace file, or an inline shape such as "rps=ramp(0,400,0s,10m)"')
    .option('--duration <duration>', 'how long to simulate (default: a trace\'s length plus one step, else 1h)')
    .option('--step <duration>', 'time step (default 1s)')
    .option('--start <time>', 'simulated start time, ISO 8601 (default: a trace\'s first timestamp, else now to the minute)')
    .addHelpText('after', EXAMPLES.simulate)
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--compare <file>', 'another scaling.yaml: simulate both policies on the same load')
    .option('--platform <name>', 'decide as this autoscaler does: mock, docker, hpa, keda or knative (default: the one the service\'s adapter uses)')
    .option('--history <file>', 'start mid-history: .scalectl/autoscale-state.json (this service\'s engine memory), one saved engine state, or a JSON list of past scale events {at, from, to}')
    .action((service: string, o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) =>
        (await import('./simulate.js')).run(
          {
            service,
            platform: o.platform as string | undefined,
            history: o.history as string | undefined,
            load: o.load as string,
            duration: o.duration as string | undefined,
            step: o.step as string | undefined,
            start: o.start as string | undefined,
            html: o.html as string | undefined,
            compare: o.compare as string | undefined,
            json: ctx.globals.json,
          },
          ctx,
        ),
      ),
    );

  program
    .command('autoscale')
    .description('the live control loop where the platform has none (Docker, the mock cloud): metric sources → the simulate engine → the adapter')
    .argument('[services...]', 'only these services')
    .option('--once', 'evaluate once and exit (exit 1 when a metric source could not be read)')
    .option('--dry-run', 'decide and report; change no count and save nothing')
    .addHelpText('after', EXAMPLES.autoscale)
    .action((services: string[], o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) => (await import('./autoscale.js')).run({ services, once: Boolean(o.once), dryRun: Boolean(o.dryRun) }, ctx)),
    );

  program
    .command('events')
    .description('the history of count changes: when, from → to, metric values, the rule, who acted')
    .argument('[services...]', 'only these services')
    .option('--since <when>', 'only changes since a duration ago ("1h") or an ISO time')
    .addHelpText('after', EXAMPLES.events)
    .action((services: string[], o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) => (await import('./events.js')).run({ services, since: o.since as string | undefined }, ctx)),
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('init')
    .description('write a commented scaling.yaml: asks on a terminal, or takes --yes and flags')
    .option('-y, --yes', 'no questions: take the defaults for anything the flags do not say')
    .option('--dir <dir>', 'the project folder (default: the current one)')
    .option('--provider <name>', 'mock, docker or kubernetes (or, when adding to a file, one of its providers)')
    .option('--context <name>', 'kubeconfig context for a Kubernetes provider (default: the current one)')
    .option('--namespace <namespace>', "namespace for a Kubernetes provider (default: the context's)")
    .option('--service <spec>', 'NAME, NAME=N or NAME=fixed:N (fixed) or NAME=autoscale[:METRIC[:MIN..MAX[:TARGET[/LIMIT]]]]; repeatable', collect)
    .option('--source <name=dir>', 'source folder the readiness check scans, e.g. web=./web; repeatable', collect)
    .option('--target <name=target>', 'what to scale, e.g. web=deployment/web; repeatable', collect)
    .option('--no-check', 'skip the readiness check of each source folder')
    .option('--force', 'replace an existing scaling.yaml instead of adding to it')
    .option('--dry-run', 'print the file instead of writing it (with --yes)')
    .option('--add-env <name>', 'add an environment (staging, prod …) starting as the base\'s bounds; repeatable', collect)
    .addHelpText('after', EXAMPLES.init)
    .action((o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) =>
        (await import('./init.js')).run(
          {
            yes: Boolean(o.yes),
            dir: o.dir as string | undefined,
            provider: o.provider as string | undefined,
            services: o.service as string[] | undefined,
            force: Boolean(o.force),
            sources: o.source,
            targets: o.target,
            context: o.context,
            namespace: o.namespace,
            check: o.check,
            dryRun: Boolean(o.dryRun),
            addEnv: o.addEnv,
          },
          ctx,
        ),
      ),
    );

  program
    .command('set')
    .description('change values in scaling.yaml in place, keeping comments and formatting')
    .argument('<service>', 'the service to change')
    .argument('<assignments...>', '<path>=<value>, e.g. autoscale.max=30 (an empty value removes the key)')
    .option('--dry-run', 'print the changed lines; write nothing')
    .addHelpText('after', EXAMPLES.set)
    .action((service: string, assignments: string[], o: Record<string, unknown>, command: Command) =>
      execute(command, async (ctx) => (await import('./set.js')).run({ service, assignments, dryRun: Boolean(o.dryRun) }, ctx)),
    );

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action((shell: 'bash' | 'zsh' | 'fish', _o: unknown, command: Command) =>
      execute(command, async (ctx) => (await import('./completion.js')).run({ shell }, ctx)),
    );

  // For the completion scripts: service and environment names of scaling.yaml (not listed in --help).
  for (const section of ['services', 'environments'] as const) {
    program
      .command(`__${section}`, { hidden: true })
      .action((_o, command: Command) => execute(command, async (ctx) => (await import('./completion.js')).listNames(section, ctx)));
  }

  return program;
}

// Runs the CLI with argv; resolves with the exit code. Never calls process.exit.
export async function main(argv: string[], io: CliIO): Promise<number> {
  const controller = new AbortController();
  let exitCode: number = EXIT.ok;
  let globals: GlobalOptions = { json: false, color: false, quiet: false, verbose: argv.includes('-v') || argv.includes('--verbose') };
  let ctx: CommandContext | undefined;
  // Ctrl-C and SIGTERM (CI runners, docker stop) stop the same way: finish what is in flight,
  // start nothing new, print the summary; a second signal quits at once.
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // A command that listens for SIGTERM itself (the autoscale loop) ends normally on it.
    if (signal === 'SIGTERM' && process.listenerCount('SIGTERM') > 1) return;
    const code = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    if (controller.signal.aborted) process.exit(code);
    signalled = signal;
    controller.abort();
    const what = signal === 'SIGTERM' ? 'Terminated (SIGTERM)' : 'Interrupted';
    const again = signal === 'SIGTERM' ? 'another SIGTERM' : 'Ctrl-C again';
    io.stderr.write(`\n${what}: finishing the changes in flight, starting no new ones (${again} to quit at once)…\n`);
  };
  // 130 after Ctrl-C, 143 after SIGTERM.
  const byCause = (code: number) => (code === EXIT.interrupted && signalled === 'SIGTERM' ? EXIT.terminated : code);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const program = buildProgram(async (command, runner) => {
    const o = command.optsWithGlobals() as Record<string, unknown>;
    // --env is resolved here once: it also becomes SCALECTL_ENV for every loader of the file.
    const environment = (o.env as string | undefined) || io.env.SCALECTL_ENV || undefined;
    const commandIO = environment === undefined ? io : { ...io, env: { ...io.env, SCALECTL_ENV: environment } };
    globals = {
      file: o.file as string | undefined,
      environment,
      json: Boolean(o.json),
      color: decideColor(o.color as boolean | undefined, io),
      quiet: Boolean(o.quiet),
      verbose: Boolean(o.verbose),
      allowAdapters: allowedAdapters(o.allowAdapter as string[] | undefined, io.cwd),
    };
    ctx = makeContext(globals, commandIO, controller.signal);
    exitCode = await runner(ctx);
    if (controller.signal.aborted && exitCode === EXIT.ok) exitCode = EXIT.interrupted;
  });
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text, write) => write(plainUsageError(text)),
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return byCause(exitCode);
  } catch (error) {
    return byCause(reportError(error, io, globals));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// commander's words for a value outside a flag's or an argument's choices, in ours: what was given,
// what is expected, an example.
export function plainUsageError(text: string): string {
  const argument = /^error: command-argument value '(.*)' is invalid for argument '(.*)'\. Allowed choices are (.*)\.\n?$/.exec(text);
  if (argument) {
    const choices = argument[3].split(', ');
    return `error: "${argument[1]}" is not a ${argument[2]} scalectl knows: expected one of ${choices.join(', ')}\n`;
  }
  const option = /^error: option '(\S+)(?: <[^>]*>)?' argument '(.*)' is invalid\. Allowed choices are (.*)\.\n?$/.exec(text);
  if (option) {
    const choices = option[3].split(', ');
    return `error: ${option[1]} "${option[2]}": expected one of ${choices.join(', ')}, e.g. ${option[1]} ${choices[0]}\n`;
  }
  return text;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

// Prints an error the way a person can act on it; returns its exit code.
export function reportError(error: unknown, io: CliIO, globals: GlobalOptions): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.error; // commander already printed the message
  }
  const write = (text: string) => io.stderr.write(`${redact(text)}\n`);
  if (ScalectlError.is(error)) {
    if (error.name === 'ConfigError') {
      // With --json an invalid file is data on stdout too (as validate --json gives it).
      if (globals.json) io.stdout.write(`${redactJson(invalidFileDocument((error as ConfigError).diagnostics), 2)}\n`);
      for (const d of (error as ConfigError).diagnostics) write(formatDiagnostic(d));
      const count = (error as ConfigError).diagnostics.filter((d) => d.severity === 'error').length;
      if (count > 1) write(`${count} errors.`);
    } else {
      write(`error: ${error.message}`);
    }
    if (globals.verbose && error.stack) write(error.stack);
    return error.exitCode;
  }
  // A file the user named could not be read or written (--out, --html, --emit, …): their fix, not our bug.
  const fsError = error as NodeJS.ErrnoException;
  if (fsError instanceof Error && typeof fsError.code === 'string' && typeof fsError.path === 'string') {
    const reason = FS_REASONS[fsError.code] ?? fsError.code;
    write(`error: cannot ${fsError.syscall ?? 'use'} ${fsError.path}: ${reason}`);
    if (globals.verbose && fsError.stack) write(fsError.stack);
    return EXIT.error;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`internal error: ${message}`);
  if (globals.verbose && error instanceof Error && error.stack) write(error.stack);
  else write('(run with -v for details; this is a bug in scalectl — please report it)');
  return EXIT.error;
}
