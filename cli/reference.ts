// docs/cli.md from commander's own definitions: each command's `--help` text, exactly as `etl <command> --help`
// prints it on a pipe (80 columns, no colours). Written by tools/write-docs.mjs; a test fails when it is stale.
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { createProgram } from './program.js';

/** A context that serves no command: building the program reads nothing. */
const NO_RUN: CliContext = {
  runtime: () => {
    throw new Error('the CLI reference runs no command');
  },
  stdout: { write: () => true },
  stderr: { write: () => true },
  setExitCode: () => undefined,
};

/** The program and every subcommand, depth first, without commander's implicit `help` commands. */
function allCommands(command: Command): Command[] {
  return [command, ...command.commands.filter((c) => c.name() !== 'help').flatMap(allCommands)];
}

/** 'etl db migrate' for the subcommand migrate of db. */
function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** `etl <command> --help` as printed to a pipe: 80 columns, no colours. */
export function helpText(command: Command): string {
  command.configureOutput({ getOutHelpWidth: () => 80, getOutHasColors: () => false });
  return command.helpInformation();
}

const HEADER = `# CLI reference

After reading this page you know every \`etl\` command, its arguments and options, as \`etl <command> --help\`
prints them. Generated from the commands' definitions by \`node tools/write-docs.mjs\` (after \`npm run build\`):
do not edit by hand; a test fails when this page and the commands differ. What the commands do in context:
[getting started](getting-started.md), [scheduling](scheduling.md) (runs, exit codes, output),
[backfill](backfill.md), [production](production.md).
`;

/** The markdown of docs/cli.md. */
export function cliReference(program: Command = createProgram(NO_RUN)): string {
  const sections = allCommands(program).map((command) => {
    const name = fullName(command);
    return `## \`${name}\`\n\n${command.description()}\n\n\`\`\`text\n${helpText(command).trimEnd()}\n\`\`\`\n`;
  });
  return `${HEADER}\n${sections.join('\n')}`;
}
