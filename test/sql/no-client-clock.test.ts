/** Lease time comes from the database (STYLE.md rule 5): the SQL store never reads the client clock. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SQL_STORE = fileURLToPath(new URL("../../src/store/sql", import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("src/store/sql", () => {
  it("never reads the client's clock", () => {
    const files = sourceFiles(SQL_STORE);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((file) =>
      /Date\.now\(|new Date\(\)|performance\.now\(/.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
