#!/usr/bin/env node
/**
 * Entry point of the `jobcache` command (package.json `bin`). Sets the exit status rather than
 * calling `process.exit()`, so output piped to another program is flushed first.
 * @module
 */
import { CommanderError } from "commander";
import { CommandFailed, ExitCode } from "./exit-codes.js";
import { createProgram } from "./program.js";

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit status: 0 ok, 1 failure (the
 * error's message printed as `jobcache: <message>`), 2 usage error (commander has printed it).
 */
async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a CommanderError too, with exit code 0
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`jobcache: ${message}\n`);
    return error instanceof CommandFailed ? error.exitCode : ExitCode.failure;
  }
}

// `jobcache --help | head` closes the pipe early: the reader has what it wanted, not an error
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv);
