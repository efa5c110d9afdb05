/** Exit status of the `jobcache` command: the shell's conventions. */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** The command ran and failed (bad config, database unreachable, ...). */
  failure: 1,
  /** The command line itself is wrong: unknown option, missing argument. */
  usage: 2,
} as const;

/**
 * A command ran and failed in a way its user must see as an exit status (an audit that found
 * double commits, a verification that found an overlap). The message is printed as
 * `jobcache: <message>`; nothing else about it is an error of the library.
 */
export class CommandFailed extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.name = "CommandFailed";
    this.exitCode = exitCode;
  }
}
