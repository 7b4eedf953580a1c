// Completion scripts, generated from the commander declarations and run in a real bash.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument } from 'commander';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bashScript, commandTable, fishScript, run, zshScript, type CompletionTable } from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { captureContext } from '../set/context.js';
import { BIN } from '../support/cli.js';

// The real program plus a `completion <shell>` command the way main.ts declares it.
function table(): CompletionTable {
  const program = buildProgram(async () => undefined);
  if (!program.commands.some((c) => c.name() === 'completion')) {
    program.command('completion').description('print a shell completion script').addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']));
  }
  return commandTable(program);
}

const dir = mkdtempSync(join(tmpdir(), 'scalectl-completion-'));
const scriptFile = join(dir, 'scalectl.bash');
writeFileSync(scriptFile, bashScript(table()));

// `scalectl` on PATH, as after an install: the built CLI (the scripts ask it for service names).
const bin = join(dir, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'scalectl'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
const PATH = `${bin}:${process.env.PATH}`;

// What bash completes for the words typed so far (the last word is the one being completed).
async function complete(words: string[], cwd = dir): Promise<string[]> {
  const array = words.map((w) => `'${w}'`).join(' ');
  const program = `source ${JSON.stringify(scriptFile)}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _scalectl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await execa('bash', ['-c', program], { cwd, env: { PATH } });
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('completion table', () => {
  it('holds every command main.ts declares, with its flags and value kinds', () => {
    const t = table();
    const names = t.commands.map((c) => c.name);
    for (const name of ['validate', 'show', 'plan', 'apply', 'check', 'simulate', 'completion']) expect(names).toContain(name);
    expect(t.globalFlags.find((f) => f.long === '--file')).toEqual({ long: '--file', short: '-f', description: expect.any(String), value: { kind: 'file' } });
    const check = t.commands.find((c) => c.name === 'check')!;
    expect(check.flags.find((f) => f.long === '--format')?.value).toEqual({ kind: 'choices', choices: ['text', 'json', 'sarif', 'github'] });
    expect(check.args).toEqual({ kind: 'dir' });
    expect(t.commands.find((c) => c.name === 'plan')!.flags.find((f) => f.long === '--emit')?.value).toEqual({ kind: 'dir' });
  });
});

describe('bash completion', () => {
  it('binds a function with complete -F', async () => {
    const result = await execa('bash', ['-c', `source ${JSON.stringify(scriptFile)}; complete -p scalectl; type -t _scalectl`]);
    expect(result.stdout).toBe('complete -F _scalectl scalectl\nfunction');
  });

  it('completes commands, flags, flag values and arguments', async () => {
    expect(await complete(['scalectl', 'pl'])).toEqual(['plan']);
    expect(await complete(['scalectl', 's'])).toEqual(['set', 'show', 'simulate']);
    expect(await complete(['scalectl', '-f', 'x.yaml', 'ap'])).toEqual(['apply']);
    expect(await complete(['scalectl', 'plan', '--o'])).toEqual(['--out']);
    expect(await complete(['scalectl', 'apply', '--y'])).toEqual(['--yes']);
    expect(await complete(['scalectl', 'check', '--format', ''])).toEqual(['github', 'json', 'sarif', 'text']);
    expect(await complete(['scalectl', 'check', '--fail-on', 'w'])).toEqual(['warning']);
    expect(await complete(['scalectl', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete(['scalectl', '--js'])).toEqual(['--json']);
  });

  it('completes files after -f and folders for check', async () => {
    const here = mkdtempSync(join(tmpdir(), 'scalectl-completion-files-'));
    writeFileSync(join(here, 'scaling.yaml'), 'version: 1\n');
    mkdirSync(join(here, 'services'));
    expect(await complete(['scalectl', '-f', 'sc'], here)).toEqual(['scaling.yaml']);
    expect(await complete(['scalectl', 'check', 's'], here)).toEqual(['services']);
  });
});

describe('bash completion of service names', () => {
  const shop = mkdtempSync(join(tmpdir(), 'scalectl-completion-shop-'));
  writeFileSync(join(shop, 'scaling.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\n  worker: { replicas: 1 }\n  bot: { replicas: 1 }\n');
  mkdirSync(join(shop, 'other'));
  writeFileSync(join(shop, 'other/scaling.yaml'), 'version: 1\nservices:\n  api: { replicas: 1 }\n');
  writeFileSync(join(shop, 'plan.json'), '{}');

  it('completes the services of the nearest scaling.yaml, or of -f', async () => {
    expect(await complete(['scalectl', 'plan', 'w'], shop)).toEqual(['web', 'worker']);
    expect(await complete(['scalectl', 'show', ''], shop)).toEqual(['bot', 'web', 'worker']);
    expect(await complete(['scalectl', 'simulate', 'b'], shop)).toEqual(['bot']);
    expect(await complete(['scalectl', '-f', 'other/scaling.yaml', 'plan', ''], shop)).toEqual(['api']);
    expect(await complete(['scalectl', 'apply', 'p'], shop)).toEqual(['plan.json']); // a saved plan, or services
    expect(await complete(['scalectl', 'apply', 'b'], shop)).toEqual(['bot']);
    // set: the service first, then path=value (nothing to offer)
    expect(await complete(['scalectl', 'set', 'we'], shop)).toEqual(['web']);
    expect(await complete(['scalectl', 'set', 'web', 'w'], shop)).toEqual([]);
    // without a scaling.yaml: nothing, and no error text
    expect(await complete(['scalectl', 'plan', ''], mkdtempSync(join(tmpdir(), 'scalectl-completion-empty-')))).toEqual([]);
  });

  it('completes --env with the environments of the nearest scaling.yaml, or of -f', async () => {
    const envs = mkdtempSync(join(tmpdir(), 'scalectl-completion-envs-'));
    writeFileSync(join(envs, 'scaling.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\nenvironments:\n  staging: {}\n  prod: { services: { web: { replicas: 3 } } }\n');
    writeFileSync(join(envs, 'other.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\nenvironments:\n  eu: {}\n');
    try {
      expect(await complete(['scalectl', '--env', ''], envs)).toEqual(['prod', 'staging']);
      expect(await complete(['scalectl', 'plan', '--env', 'p'], envs)).toEqual(['prod']);
      expect(await complete(['scalectl', '-f', 'other.yaml', 'plan', '--env', ''], envs)).toEqual(['eu']);
      expect(await complete(['scalectl', '--env', ''], shop)).toEqual([]); // no environments: nothing, no error
    } finally {
      rmSync(envs, { recursive: true, force: true });
    }
  });

  it('offers --help once', async () => {
    expect(await complete(['scalectl', 'plan', '--he'], shop)).toEqual(['--help']);
    expect(await complete(['scalectl', '--he'], shop)).toEqual(['--help']);
  });

  it('the hidden __services and __environments commands are not commands anyone sees', async () => {
    for (const hidden of ['__services', '__environments']) expect(table().commands.map((c) => c.name)).not.toContain(hidden);
    const commandList = bashScript(table()).split('\n').find((line) => line.includes('"") COMPREPLY'));
    expect(commandList).toContain('validate show plan apply');
    expect(commandList).not.toContain('__');
  });
});

describe('zsh and fish completion', () => {
  it('declares every command and flag in each shell\'s syntax', () => {
    const zsh = zshScript(table());
    expect(zsh.startsWith('#compdef scalectl\n')).toBe(true);
    expect(zsh).toContain("    'plan:what would change to make the live state match scaling.yaml'");
    expect(zsh).toContain(`'(-f --file)'{-f,--file}'[scaling.yaml to use (default\\: the nearest one walking up from here)]:file:_files'`);
    expect(zsh).toContain("'--format[output format]:value:(text json sarif github)'");
    expect(zsh).toContain('compdef _scalectl scalectl');
    expect(zsh).toContain("'--env[the environment of scaling.yaml to use");
    expect(zsh).toContain(':environment:_scalectl_environments');
    const fish = fishScript(table());
    expect(fish).toContain("complete -c scalectl -n '__fish_use_subcommand' -a plan -d 'what would change to make the live state match scaling.yaml'");
    expect(fish).toContain("complete -c scalectl -n '__fish_seen_subcommand_from check' -l format -x -a 'text json sarif github' -d 'output format'");
    expect(fish).toContain("complete -c scalectl -s f -l file -r -F -d ");
    expect(fish).toContain("complete -c scalectl -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
  });

  it('checks syntax with zsh -n and fish -n where those shells are installed', async () => {
    for (const [shell, text] of [['zsh', zshScript(table())], ['fish', fishScript(table())]] as const) {
      const found = await execa('sh', ['-c', `command -v ${shell}`], { reject: false });
      // On a developer machine without the shell the text assertions above still hold; CI must have it.
      if (found.exitCode !== 0 && !process.env.CI) continue;
      expect(found.exitCode, `${shell} is not installed (apt-get install zsh fish)`).toBe(0);
      const file = join(dir, `scalectl.${shell}`);
      writeFileSync(file, text);
      const result = await execa(shell, ['-n', file], { reject: false });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
    }
  });
});

describe('fish completion, run', () => {
  it('completes commands and flag values through complete -C', async () => {
    const found = await execa('sh', ['-c', 'command -v fish'], { reject: false });
    if (found.exitCode !== 0 && !process.env.CI) return;
    const file = join(dir, 'scalectl.fish');
    writeFileSync(file, fishScript(table()));
    const ask = async (line: string) => (await execa('fish', ['--no-config', '-c', `source ${file}; complete -C${JSON.stringify(line)}`])).stdout.split('\n').map((l) => l.split('\t')[0]).sort();
    expect(await ask('scalectl pl')).toEqual(['plan']);
    expect(await ask('scalectl check --format ')).toEqual(['github', 'json', 'sarif', 'text']);
    expect(await ask('scalectl completion ')).toEqual(['bash', 'fish', 'zsh']);
    const shop = mkdtempSync(join(tmpdir(), 'scalectl-completion-fish-'));
    writeFileSync(join(shop, 'scaling.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\n  worker: { replicas: 1 }\n');
    const inShop = async (line: string) => (await execa('fish', ['--no-config', '-c', `source ${file}; complete -C${JSON.stringify(line)}`], { cwd: shop, env: { PATH } })).stdout.split('\n').map((l) => l.split('\t')[0]).sort();
    expect(await inShop('scalectl plan w')).toEqual(['web', 'worker']);
    writeFileSync(join(shop, 'scaling.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\nenvironments:\n  staging: {}\n  prod: {}\n');
    expect(await inShop('scalectl plan --env ')).toEqual(['prod', 'staging']);
  });
});

describe('scalectl completion', () => {
  it('prints the script for the shell named, and refuses an unknown shell', async () => {
    const { ctx, stdout } = captureContext(dir);
    expect(await run({ shell: 'bash' }, ctx)).toBe(0);
    expect(stdout()).toContain('complete -F _scalectl scalectl\n');
    await expect(run({ shell: 'tcsh' as 'bash' }, ctx)).rejects.toThrow('no completion for the shell "tcsh": expected one of bash, zsh, fish');
  });
});
