#!/usr/bin/env node
// Entry point of `etl`: wire configuration to services, run the command, map errors to exit codes.
import { CommanderError } from 'commander';
import { describeError } from '../graph/index.js';
import { loadJobModules } from '../jobs/load-jobs.js';
import { builtinJobs, JobRegistry } from '../jobs/registry.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let registry: JobRegistry;
  try {
    const extra = (process.env.ETL_JOBS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    registry = new JobRegistry([...builtinJobs(), ...(await loadJobModules(extra, process.cwd()))]);
  } catch (error) {
    process.stderr.write(`etl: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
  const program = createProgram({
    registry,
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
