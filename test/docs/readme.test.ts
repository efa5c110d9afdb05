import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);

describe("README", () => {
  it("shows examples/quickstart.ts exactly as it is", async () => {
    const readme = await readFile(new URL("README.md", root), "utf8");
    const example = await readFile(new URL("examples/quickstart.ts", root), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it("gives the two set-up commands", async () => {
    const readme = await readFile(new URL("README.md", root), "utf8");
    expect(readme).toContain("```sh\nnpm install && npm start\nnpm test\n```");
  });

  it("runs the quickstart example (type-checked by npm run typecheck)", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/quickstart.ts"], {
      cwd: new URL(".", root),
      env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.json" },
    });
    expect(stdout).toContain("created job-1 at revision 1");
    expect(stdout).toContain("job-1 is RUNNING at revision 2");
  });
});
