import type { Command } from "commander";

/**
 * The subcommand group `name` of `program` (`config`, `db`), created on first use, so that
 * `config check` and a later `config show` live in separate files yet share one group.
 * @example
 * commandGroup(program, "db", "manage the database schema").command("deploy");
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((command) => command.name() === name);
  return existing ?? program.command(name).description(description);
}
