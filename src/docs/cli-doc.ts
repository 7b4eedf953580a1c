// Renders docs/cli.md from the commander definitions (cli/main.ts): a command table, then each
// command's own --help text exactly as the CLI prints it at 100 columns.
import type { Command } from 'commander';
import { GENERATED_NOTE, cell } from './markdown.js';

const WIDTH = 100;

// The --help text of one command, as printed, without colours and at a fixed width.
export function helpText(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => { text += chunk; }, getOutHelpWidth: () => WIDTH, getOutHasColors: () => false });
  command.outputHelp();
  return text.replace(/[ \t]+$/gm, '').trimEnd();
}

function commandName(command: Command): string {
  return `scalectl ${command.name()}`;
}

// The Markdown page for a program (the root command and its subcommands).
export function cliDoc(program: Command): string {
  const commands = program.commands.filter((c) => c.name() !== 'help' && !(c as unknown as { _hidden: boolean })._hidden);
  const out = [
    '# Command reference',
    '',
    GENERATED_NOTE('src/cli/main.ts'),
    '',
    '| command | what it does |',
    '| --- | --- |',
    ...commands.map((c) => `| [\`${commandName(c)}\`](#${c.name()}) | ${cell(c.description())} |`),
    '',
    '## scalectl',
    '',
    '```text',
    helpText(program),
    '```',
  ];
  for (const command of commands) out.push('', `## ${command.name()}`, '', '```text', helpText(command), '```');
  return `${out.join('\n')}\n`;
}
