#!/usr/bin/env node
// Entry point of `etl`: wire configuration to services, run the command, map errors to exit codes.
import { CommanderError } from 'commander';
import { describeError } from '../graph/index.js';
import { builtinJobs, JobRegistry } from '../jobs/registry.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = createProgram({
    registry: new JobRegistry(builtinJobs()),
    stdout: process.stdout,
    stderr: process.stderr,
    services: () => ({}),
    setExitCode: (code) => (exitCode = code),
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`etl: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

// `etl ... | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
