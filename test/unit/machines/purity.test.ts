import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../src/machines/", import.meta.url);

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((file) => file.endsWith(".ts"));
}

describe("src/machines is pure data (STYLE rule 7)", () => {
  it("imports no store, no timers, no Node API, and schedules nothing itself", async () => {
    const files = await sources(ROOT.pathname);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const imports = [...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
      for (const source of imports) {
        expect(source, `${file} imports ${source}`).not.toMatch(/^node:|\/store\/|\/lease\/|\/manager\//);
      }
      expect(text, file).not.toMatch(/\b(setTimeout|setInterval|Date\.now|process\.)/);
    }
  });
});
