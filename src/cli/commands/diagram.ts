/**
 * `jobcache diagram ticket|job [--format mermaid|dot]`: a state machine's diagram, generated from
 * its definition. `--doc` prints docs/machines.md (every diagram with its state table) and
 * `--write FILE` writes instead of printing, which is how that file is kept up to date.
 * @module
 */
import { writeFile } from "node:fs/promises";
import { Argument, type Command, Option } from "commander";
import {
  DIAGRAM_FORMATS,
  DIAGRAM_MACHINES,
  type DiagramFormat,
  type DiagramMachineName,
  renderDiagram,
} from "../../machines/diagram/machines.js";
import { renderMachinesDoc } from "../../machines/diagram/machines-doc.js";

/** Options of `jobcache diagram`. */
interface DiagramOptions {
  format: DiagramFormat;
  doc?: boolean;
  write?: string;
}

/** The text the command prints (or writes): one diagram, or the whole machines document. */
function diagramText(machine: DiagramMachineName | undefined, options: DiagramOptions): string {
  if (options.doc === true) return renderMachinesDoc();
  if (machine === undefined) throw new RangeError("diagramText needs a machine or --doc");
  return `${renderDiagram(machine, options.format)}\n`;
}

/** Adds `diagram [machine]` to the program. */
export function addDiagramCommand(program: Command): void {
  program
    .command("diagram")
    .description(
      "print a state machine's diagram, generated from its XState definition: the ticket lifecycle " +
        "(ticket) or TRAC's job lifecycle (job)",
    )
    .addArgument(new Argument("[machine]", "the machine to draw").choices(Object.keys(DIAGRAM_MACHINES)))
    .addOption(
      new Option("-f, --format <format>", "diagram language").choices(DIAGRAM_FORMATS).default("mermaid"),
    )
    .option("--doc", "print the machines document (docs/machines.md): every diagram with its state table")
    .option("-w, --write <file>", "write to FILE instead of standard output")
    .addHelpText(
      "after",
      "\nExamples:\n  $ jobcache diagram job --format dot | dot -Tsvg > job.svg\n" +
        "  $ jobcache diagram --doc --write docs/machines.md",
    )
    .action(async function (this: Command, machine: DiagramMachineName | undefined, options: DiagramOptions) {
      if (machine === undefined && options.doc !== true) {
        this.error("jobcache: name a machine (ticket or job), or use --doc", { exitCode: 2 });
      }
      const text = diagramText(machine, options);
      if (options.write === undefined) process.stdout.write(text);
      else await writeFile(options.write, text, "utf8");
    });
}
