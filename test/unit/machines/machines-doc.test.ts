import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderDiagram } from "../../../src/machines/diagram/machines.js";
import { renderMachinesDoc } from "../../../src/machines/diagram/machines-doc.js";

const DOC = new URL("../../../docs/machines.md", import.meta.url);

describe("docs/machines.md", () => {
  it("is what the machines generate (run `npm run docs:machines` when this fails)", async () => {
    const onDisk = await readFile(DOC, "utf8");
    expect(onDisk, "docs/machines.md is stale: regenerate it with npm run docs:machines").toBe(
      renderMachinesDoc(),
    );
  });

  it("holds both diagrams and a row for every job status", () => {
    const doc = renderMachinesDoc();
    expect(doc).toContain(renderDiagram("ticket", "mermaid"));
    expect(doc).toContain(renderDiagram("job", "mermaid"));
    expect(doc).toContain(
      "| `SCHEDULED_TO_REMOVE` | `remove_job` | cache | `step.done` | not before 120 s |",
    );
    expect(doc).toContain("| `granted.working.heartbeat.renewing` | `renewLease` |");
  });
});
