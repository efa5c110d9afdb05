import { CommanderError } from "commander";
import { CommandFailed, ExitCode } from "./exit-codes.js";
import { createProgram } from "./program.js";

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit status: 0 ok, 1 failure (the
 * error's message printed as `jobcache: <message>`), 2 usage error (commander has printed it).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
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
