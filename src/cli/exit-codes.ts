/** Exit status of the `jobcache` command: the shell's conventions. */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** The command ran and failed (bad config, database unreachable, ...). */
  failure: 1,
  /** The command line itself is wrong: unknown option, missing argument. */
  usage: 2,
} as const;
