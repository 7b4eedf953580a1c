// `scalectl completion bash|zsh|fish`: prints a completion script. The commands and flags come
// from one table, read from the commander declarations (cli/main.ts), so scripts never drift.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isMap, parseDocument } from 'yaml';
import { resolveConfigFile } from '../config/load.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// `service`: a service name of scaling.yaml, looked up when completing (`scalectl __services`);
// `service-or-file`: that or a file (apply takes a saved plan or service names); `environment`: an
// environment of scaling.yaml (`scalectl __environments`).
type ValueKind = { kind: 'choices'; choices: string[] } | { kind: 'file' | 'dir' | 'text' | 'service' | 'service-or-file' | 'environment' };

export interface FlagSpec { long: string; short?: string; description: string; value?: ValueKind }
export interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
  /** What the first argument takes. */
  args: ValueKind | { kind: 'none' };
  /** Declared arguments: with more than one, only the first is completed (set <service> <path=value>). */
  argCount?: number;
}
// Everything a completion script needs to know.
export interface CompletionTable { program: string; globalFlags: FlagSpec[]; commands: CommandSpec[] }

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionLike { long?: string; short?: string; description: string; required?: boolean; optional?: boolean; hidden?: boolean; argChoices?: string[]; flags: string }

const HELP: FlagSpec = { long: '--help', short: '-h', description: 'show help' };

function flagOf(option: OptionLike): FlagSpec[] {
  if (!option.long || option.hidden) return [];
  const spec: FlagSpec = { long: option.long, description: option.description, ...(option.short ? { short: option.short } : {}) };
  if (option.required || option.optional) {
    const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
    if (option.argChoices?.length) spec.value = { kind: 'choices', choices: [...option.argChoices] };
    else if (option.long === '--env') spec.value = { kind: 'environment' };
    else if (/dir/i.test(placeholder)) spec.value = { kind: 'dir' };
    else if (/file|path/i.test(placeholder)) spec.value = { kind: 'file' };
    else spec.value = { kind: 'text' };
  }
  return [spec];
}

// Reads the commander program into the table.
export function commandTable(program: Command): CompletionTable {
  const flags = (command: Command) => command.options.flatMap((o) => flagOf(o as unknown as OptionLike));
  const visible = program.commands.filter((command) => !(command as unknown as { _hidden: boolean })._hidden);
  const commands = visible.map((command): CommandSpec => {
    const first = command.registeredArguments[0];
    const name = first?.name() ?? '';
    const args: CommandSpec['args'] = first?.argChoices?.length
      ? { kind: 'choices', choices: [...first.argChoices] }
      : /path|dir/.test(name) ? { kind: 'dir' }
        : /plan/.test(name) ? { kind: /service/.test(name) ? 'service-or-file' : 'file' }
          : /^services?$/.test(name) ? { kind: 'service' } : { kind: 'none' };
    return { name: command.name(), description: command.description(), flags: [...flags(command), HELP], args, argCount: command.registeredArguments.length };
  });
  return { program: program.name(), globalFlags: [...flags(program), HELP], commands };
}

const spellings = (flag: FlagSpec) => (flag.short ? [flag.short, flag.long] : [flag.long]);

// bash: one function over COMP_WORDS / COMP_CWORD filling COMPREPLY, bound with `complete -F`.
export function bashScript(table: CompletionTable): string {
  const fn = `_${table.program.replace(/\W/g, '_')}`;
  const services = `$(${table.program} $file __services 2>/dev/null)`;
  const environments = `$(${table.program} $file __environments 2>/dev/null)`;
  const reply = (kind: ValueKind | { kind: 'none' }) =>
    kind.kind === 'choices' ? `COMPREPLY=( $(compgen -W "${kind.choices.join(' ')}" -- "$cur") )`
      : kind.kind === 'file' ? 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )'
        : kind.kind === 'dir' ? 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") )'
          : kind.kind === 'service' ? `COMPREPLY=( $(compgen -W "${services}" -- "$cur") )`
            : kind.kind === 'environment' ? `COMPREPLY=( $(compgen -W "${environments}" -- "$cur") )`
            : kind.kind === 'service-or-file' ? `compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -W "${services}" -- "$cur") $(compgen -f -- "$cur") )`
              : 'COMPREPLY=()';
  const valueCases = (flags: FlagSpec[], indent: string) =>
    flags.filter((f) => f.value).map((f) => `${indent}${spellings(f).join('|')}) ${reply(f.value!)}; return 0 ;;`);
  const globalValueFlags = table.globalFlags.filter((f) => f.value).flatMap(spellings);
  const lines = [
    `# bash completion for ${table.program} (generated by \`${table.program} completion bash\`).`,
    `# Now: source <(${table.program} completion bash)`,
    `# Always: ${table.program} completion bash > ~/.local/share/bash-completion/completions/${table.program}`,
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" file="" args=0 i',
    '  (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  for (( i = 1; i < COMP_CWORD; i++ )); do',
    '    case "${COMP_WORDS[i]}" in',
    '      -f|--file) file="-f ${COMP_WORDS[i+1]}"; (( i++ )) ;;',
    ...(globalValueFlags.filter((f) => f !== '-f' && f !== '--file').length ? [`      ${globalValueFlags.filter((f) => f !== '-f' && f !== '--file').join('|')}) (( i++ )) ;;`] : []),
    '      -*) ;;',
    '      *) if [[ -z "$cmd" ]]; then cmd="${COMP_WORDS[i]}"; else (( args++ )); fi ;;',
    '    esac',
    '  done',
    '  case "$prev" in',
    ...valueCases(table.globalFlags, '    '),
    '  esac',
    `  local flags="${table.globalFlags.flatMap(spellings).join(' ')}"`,
    '  case "$cmd" in',
    ...table.commands.flatMap((c) => [
      `    ${c.name})`,
      // --help is among the global flags already: list it once
      `      flags="$flags ${c.flags.filter((f) => f.long !== '--help').flatMap(spellings).join(' ')}"`,
      ...(c.flags.some((f) => f.value) ? ['      case "$prev" in', ...valueCases(c.flags, '        '), '      esac'] : []),
      '      ;;',
    ]),
    '  esac',
    '  if [[ "$cur" == -* ]]; then',
    '    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )',
    '    return 0',
    '  fi',
    '  case "$cmd" in',
    `    "") COMPREPLY=( $(compgen -W "${table.commands.map((c) => c.name).join(' ')}" -- "$cur") ) ;;`,
    ...table.commands.filter((c) => c.args.kind !== 'none').map((c) => `    ${c.name}) ${(c.argCount ?? 1) > 1 ? '(( args == 0 )) && ' : ''}${reply(c.args)} ;;`),
    '  esac',
    '  return 0',
    '}',
    `complete -F ${fn} ${table.program}`,
  ];
  return `${lines.join('\n')}\n`;
}

// zsh: an `_arguments` spec per command, autoloadable from $fpath or sourced.
export function zshScript(table: CompletionTable): string {
  const fn = `_${table.program.replace(/\W/g, '_')}`;
  const quote = (text: string) => text.replace(/'/g, `'\\''`);
  const describe = (text: string) => quote(text.replace(/([[\]:\\])/g, '\\$1'));
  const action = (kind: ValueKind | { kind: 'none' }) =>
    kind.kind === 'choices' ? `(${kind.choices.join(' ')})` : kind.kind === 'file' ? '_files' : kind.kind === 'dir' ? '_files -/'
      : kind.kind === 'service' ? `${fn}_services` : kind.kind === 'service-or-file' ? `${fn}_services_or_files`
        : kind.kind === 'environment' ? `${fn}_environments` : ' ';
  const spec = (flag: FlagSpec) => {
    const value = flag.value ? `:${flag.value.kind === 'choices' ? 'value' : flag.value.kind}:${action(flag.value)}` : '';
    const body = `[${describe(flag.description)}]${value}`;
    return flag.short ? `'(${flag.short} ${flag.long})'{${flag.short},${flag.long}}'${body}'` : `'${flag.long}${body}'`;
  };
  // `<fn>_<section>`: the names `scalectl __<section>` prints, offered as `label`s.
  const namesFunction = (section: string, label: string) => [
    `${fn}_${section}() {`,
    '  local -a names file',
    '  local i=${words[(I)-f|--file]}',
    '  (( i > 0 )) && file=(-f ${words[i+1]})',
    `  names=(\${(f)"$(${table.program} $file __${section} 2>/dev/null)"})`,
    `  _describe -t ${section} '${label}' names`,
    '}',
  ];
  const lines = [
    `#compdef ${table.program}`,
    `# zsh completion for ${table.program} (generated by \`${table.program} completion zsh\`).`,
    `# Now: source <(${table.program} completion zsh)`,
    `# Always: ${table.program} completion zsh > "\${fpath[1]}/_${table.program}"`,
    // Service and environment names of the scaling.yaml in use (-f from the command line, else the nearest one).
    ...namesFunction('services', 'service'),
    `${fn}_services_or_files() { ${fn}_services; _files }`,
    ...namesFunction('environments', 'environment'),
    `${fn}() {`,
    '  local curcontext="$curcontext" state line ret=1',
    '  local -a commands',
    '  commands=(',
    ...table.commands.map((c) => `    '${quote(c.name)}:${quote(c.description)}'`),
    '  )',
    '  _arguments -C \\',
    ...table.globalFlags.map((f) => `    ${spec(f)} \\`),
    "    '1:command:->command' \\",
    "    '*::arg:->args' && ret=0",
    '  case $state in',
    `    command) _describe -t commands '${table.program} command' commands && ret=0 ;;`,
    '    args)',
    '      case $words[1] in',
    ...table.commands.map((c) => {
      const positional = c.args.kind === 'none' ? [] : [`'${(c.argCount ?? 1) > 1 ? '1' : '*'}:${c.args.kind === 'choices' ? 'value' : c.args.kind}:${action(c.args)}'`];
      return `        ${c.name}) _arguments ${[...c.flags.map(spec), ...positional].join(' ')} && ret=0 ;;`;
    }),
    '      esac ;;',
    '  esac',
    '  return ret',
    '}',
    `if [[ "$funcstack[1]" == "${fn}" ]]; then ${fn} "$@"; else compdef ${fn} ${table.program}; fi`,
  ];
  return `${lines.join('\n')}\n`;
}

// fish: one `complete` line per command and per flag, conditioned on the subcommand.
export function fishScript(table: CompletionTable): string {
  const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const p = table.program;
  const flagLine = (flag: FlagSpec, condition: string) => {
    const parts = [`complete -c ${p}`, condition];
    if (flag.short) parts.push(`-s ${flag.short.slice(1)}`);
    parts.push(`-l ${flag.long.slice(2)}`);
    if (flag.value?.kind === 'choices') parts.push(`-x -a ${q(flag.value.choices.join(' '))}`);
    else if (flag.value?.kind === 'file') parts.push('-r -F');
    else if (flag.value?.kind === 'dir') parts.push("-x -a '(__fish_complete_directories)'");
    else if (flag.value?.kind === 'environment') parts.push(`-x -a ${q(`(${p} __environments 2>/dev/null)`)}`);
    else if (flag.value) parts.push('-x');
    parts.push(`-d ${q(flag.description)}`);
    return parts.filter(Boolean).join(' ');
  };
  const lines = [
    `# fish completion for ${p} (generated by \`${p} completion fish\`).`,
    `# Now: ${p} completion fish | source`,
    `# Always: ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
    ...table.commands.map((c) => `complete -c ${p} -n '__fish_use_subcommand' -a ${c.name} -d ${q(c.description)}`),
    ...table.globalFlags.map((f) => flagLine(f, '')),
    ...table.commands.flatMap((c) => {
      const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
      const args =
        c.args.kind === 'choices' ? [`complete -c ${p} ${when} -a ${q(c.args.choices.join(' '))}`]
          : c.args.kind === 'file' ? [`complete -c ${p} ${when} -F`]
            : c.args.kind === 'dir' ? [`complete -c ${p} ${when} -a '(__fish_complete_directories)'`]
            : c.args.kind === 'service' || c.args.kind === 'service-or-file' ? [`complete -c ${p} ${when} -a ${q(`(${p} __services 2>/dev/null)`)}${c.args.kind === 'service-or-file' ? ' -F' : ''}`] : [];
      return [...c.flags.filter((f) => f.long !== '--help').map((f) => flagLine(f, when)), ...args];
    }),
  ];
  return `${lines.join('\n')}\n`;
}

// The script for one shell, from the real program.
export async function completionScript(shell: Shell): Promise<string> {
  const { buildProgram } = await import('./main.js');
  const table = commandTable(buildProgram(async () => undefined));
  return shell === 'bash' ? bashScript(table) : shell === 'zsh' ? zshScript(table) : fishScript(table);
}

// `scalectl __services` / `__environments` (hidden): the service or environment names of
// scaling.yaml, one a line, for completion scripts; quiet and exit 0 on any problem (a completion
// never prints errors).
export async function listNames(section: 'services' | 'environments', ctx: CommandContext): Promise<number> {
  try {
    const names = parseDocument(readFileSync(resolveConfigFile(ctx.globals.file, ctx.io.cwd), 'utf8')).get(section);
    if (isMap(names)) for (const pair of names.items) ctx.io.stdout.write(`${String((pair.key as { value: unknown }).value)}\n`);
  } catch (error) {
    ctx.debug(`no ${section} names: ${(error as Error).message}`); // no file, unreadable, not YAML
  }
  return EXIT.ok;
}

// Runs the command; returns the exit code.
export async function run(options: { shell: Shell }, ctx: CommandContext): Promise<number> {
  if (!SHELLS.includes(options.shell)) {
    throw new UsageError(`no completion for the shell "${String(options.shell)}": expected one of ${SHELLS.join(', ')}, e.g. scalectl completion bash`);
  }
  ctx.io.stdout.write(await completionScript(options.shell));
  return EXIT.ok;
}
