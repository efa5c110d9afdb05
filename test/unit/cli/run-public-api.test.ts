import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const RUN = new URL("../../../src/cli/run/", import.meta.url);

describe("jobcache run is one user of the public API", () => {
  it("src/cli/run imports the library only through its entry points (jobcache, jobcache/orchestrator)", async () => {
    const files = (await readdir(RUN)).filter((name) => name.endsWith(".ts"));
    expect(files).toContain("worker-main.ts");
    const reaching: string[] = [];
    for (const file of files) {
      const text = await readFile(new URL(file, RUN), "utf8");
      for (const [, spec] of text.matchAll(/from\s+"(\.[^"]+)"/g)) {
        const allowed =
          spec === "../../index.js" || spec === "../../orchestrator.js" || spec?.startsWith("./");
        const cliShared = spec === "../exit-codes.js";
        if (!allowed && !cliShared) reaching.push(`${file} -> ${spec}`);
      }
    }
    expect(reaching).toEqual([]);
  });
});
