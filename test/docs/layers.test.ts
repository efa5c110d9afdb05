import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/**
 * ARCHITECTURE.md's layers, lowest first. A layer imports only layers of a lower rank: never one
 * above it, never a sibling of the same rank (manager and machines know nothing of each other).
 */
const RANK: Record<string, number> = {
  base: 0,
  codec: 1,
  store: 2,
  manager: 3,
  machines: 3,
  runtime: 4,
  cli: 5,
};

/** Packages a layer must not reach, whatever the folder arrows say. */
const FORBIDDEN_PACKAGES: Record<string, RegExp> = {
  base: /^(xstate|kysely|pg|mysql2|better-sqlite3|commander)$/,
  codec: /^(xstate|kysely|pg|mysql2|better-sqlite3|commander)$/,
  store: /^(xstate|commander)$/,
  manager: /^(xstate|commander)$/,
  machines: /^(kysely|pg|mysql2|better-sqlite3|commander|node:.*)$/,
  runtime: /^(kysely|pg|mysql2|better-sqlite3|commander)$/,
};

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((file) => file.endsWith(".ts"));
}

function layerOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? "";
}

/** Every module specifier of a file: static imports, re-exports and dynamic `import()`. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/(?:from\s+|import\s*\(\s*)"([^"]+)"/g)].map((m) => m[1] ?? "");
  return found.filter((spec) => spec !== "");
}

describe("layers point one way (ARCHITECTURE.md)", () => {
  it("no file imports a layer above its own or beside it", async () => {
    const files = await sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (!(from in RANK)) continue;
      for (const spec of specifiers(await readFile(file, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        const to = layerOf(join(file, "..", spec));
        if (!(to in RANK) || to === from) continue;
        if (RANK[to]! >= RANK[from]!) upward.push(`${relative(SRC, file)} -> ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("the store knows no XState, the machines no SQL, and only the CLI knows commander", async () => {
    const wrong: string[] = [];
    for (const file of await sources(SRC)) {
      const forbidden = FORBIDDEN_PACKAGES[layerOf(file)];
      if (forbidden === undefined) continue;
      for (const spec of specifiers(await readFile(file, "utf8"))) {
        if (forbidden.test(spec)) wrong.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every dynamic import names its module literally, so tools can follow it", async () => {
    const variable: string[] = [];
    for (const file of await sources(SRC)) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(/import\s*\(\s*([^)"'`\s][^)]*)\)/g)) {
        variable.push(`${relative(SRC, file)}: import(${match[1]})`);
      }
    }
    expect(variable).toEqual([]);
  });
});
