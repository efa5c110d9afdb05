import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ProgressBar } from "../../../src/cli/run/progress-bar.js";

function output(
  isTTY: boolean,
  columns = 80,
): {
  stream: Writable & { isTTY: boolean; columns: number };
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY, columns },
  );
  return { stream, text: () => chunks.join("") };
}

describe("ProgressBar", () => {
  it("draws nothing when the output is not a terminal", () => {
    const out = output(false);
    const bar = new ProgressBar(out.stream, 10);
    bar.update(5, "half", true);
    bar.finish();
    expect(out.text()).toBe("");
  });

  it("redraws in place, clears what a longer line left, and ends its line on finish", () => {
    const out = output(true);
    const bar = new ProgressBar(out.stream, 10);
    bar.update(5, "a long detail that takes room", true);
    bar.update(10, "done", true);
    bar.finish();
    const draws = out.text().split("\r").filter(Boolean);
    expect(draws).toHaveLength(2);
    expect(draws[1]).toBe(`${"█".repeat(30)} 10/10 jobs  done\u001b[K\n`);
  });

  it("a terminal that reports 0 columns (unknown) gets the whole line, last character included", () => {
    const out = output(true, 0);
    const bar = new ProgressBar(out.stream, 10);
    bar.update(10, "done", true);
    expect(out.text()).toBe(`\r${"█".repeat(30)} 10/10 jobs  done\u001b[K`);
  });

  it("a narrow terminal gets the line cut to one less than its width", () => {
    const out = output(true, 20);
    const bar = new ProgressBar(out.stream, 10);
    bar.update(10, "done", true);
    expect(out.text()).toBe(`\r${"█".repeat(19)}\u001b[K`);
  });
});
