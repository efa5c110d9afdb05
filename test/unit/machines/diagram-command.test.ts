import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addDiagramCommand } from "../../../src/cli/commands/diagram.js";
import { renderDiagram } from "../../../src/machines/diagram/machines.js";
import { renderMachinesDoc } from "../../../src/machines/diagram/machines-doc.js";

/** Runs `jobcache diagram ...args` on a program with only this command; returns what it printed. */
async function run(...args: string[]): Promise<string> {
  const program = new Command("jobcache")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  addDiagramCommand(program);
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(["node", "jobcache", "diagram", ...args]);
  } finally {
    write.mockRestore();
  }
  return printed.join("");
}

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("jobcache diagram", () => {
  it("prints a machine's mermaid diagram by default", async () => {
    expect(await run("ticket")).toBe(`${renderDiagram("ticket", "mermaid")}\n`);
  });

  it("prints DOT with --format dot", async () => {
    expect(await run("job", "--format", "dot")).toBe(`${renderDiagram("job", "dot")}\n`);
  });

  it("--doc --write FILE writes the machines document", async () => {
    dir = await mkdtemp(join(tmpdir(), "jobcache-diagram-"));
    const file = join(dir, "machines.md");
    expect(await run("--doc", "--write", file)).toBe("");
    expect(await readFile(file, "utf8")).toBe(renderMachinesDoc());
  });

  it("no machine and no --doc is a usage error, exit status 2", async () => {
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(2);
  });

  it.each([
    ["an unknown machine", ["lease"]],
    ["an unknown format", ["job", "--format", "svg"]],
  ])("%s is refused by commander", async (_, args) => {
    const error = await run(...args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
  });
});
