#!/usr/bin/env node
/**
 * Entry point of the `jobcache` command (package.json `bin`). Sets the exit status rather than
 * calling `process.exit()`, so output piped to another program is flushed first.
 * @module
 */
import { runCli } from "./run-cli.js";

// `jobcache --help | head` closes the pipe early: the reader has what it wanted, not an error
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv);
