import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECacheConfig, EInvalidArgument } from "../../../src/base/errors.js";
import { loadPlatformConfig } from "../../../src/manager/platform-config.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-load-config-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadPlatformConfig", () => {
  it("reads a file and resolves secrets from process.env", async () => {
    const file = join(dir, "good.yaml");
    const variable = `JOBCACHE_TEST_SECRET_${process.pid}`;
    await writeFile(file, `jobCache:\n  protocol: LOCAL\n  secrets:\n    token: ${variable}\n`);
    process.env[variable] = "from-env";
    try {
      const config = await loadPlatformConfig(file);
      expect(config.jobCache.secrets).toEqual({ token: "from-env" });
    } finally {
      delete process.env[variable];
    }
  });

  it("says which file it cannot read and why", async () => {
    const file = join(dir, "missing.yaml");
    const error = await loadPlatformConfig(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ECacheConfig);
    expect((error as Error).message).toBe(
      `cannot read platform config file ${file}: no such file or directory (ENOENT). ` +
        "Check the path and its permissions.",
    );
  });

  it("says when the path is a directory", async () => {
    await expect(loadPlatformConfig(dir)).rejects.toThrow(/illegal operation on a directory \(EISDIR\)/);
  });

  it("names the file in parse errors", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "jobCache:\n  protocol: [\n");
    await expect(loadPlatformConfig(file)).rejects.toThrow(`${file}:`);
  });

  it("rejects a path that is not a string", async () => {
    await expect(loadPlatformConfig(undefined as unknown as string)).rejects.toBeInstanceOf(EInvalidArgument);
  });
});
