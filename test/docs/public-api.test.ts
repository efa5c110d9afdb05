import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type {
  CacheEntry,
  CacheTicket,
  JobCache,
  JobCacheManager,
  JobCachePlugin,
  PlatformConfig,
  PluginConfig,
} from "../../src/index.js";
import * as api from "../../src/index.js";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);

/** Every value CONTRACT.md names as exported from the package root. */
const CONTRACT_VALUES = [
  "createJobCacheManager",
  "loadPlatformConfig",
  "registerJobCachePlugin",
  "MAX_TICKET_DURATION_MS",
  "ECache",
  "ECacheTicket",
  "ECacheNotFound",
  "ECacheDuplicate",
  "ECacheOperation",
  "ECacheCorruption",
  "ECacheUnavailable",
  "EInvalidArgument",
];

// The contract's types, used so that `npm run typecheck` fails when one is missing or renamed.
type ContractTypes = [
  PluginConfig,
  PlatformConfig,
  JobCacheManager,
  JobCache<unknown>,
  CacheTicket,
  CacheEntry<unknown>,
  JobCachePlugin,
];
const typesCompile: ContractTypes | undefined = undefined;

describe("the public API", () => {
  it("exports every value CONTRACT.md names", () => {
    expect(typesCompile).toBeUndefined();
    for (const name of CONTRACT_VALUES) expect(api, name).toHaveProperty(name);
    expect(api.MAX_TICKET_DURATION_MS).toBe(300_000);
  });

  it("keeps the contract's error hierarchy", () => {
    const classes = [
      api.ECacheTicket,
      api.ECacheNotFound,
      api.ECacheDuplicate,
      api.ECacheOperation,
      api.ECacheCorruption,
      api.ECacheUnavailable,
    ];
    for (const ErrorClass of classes) expect(new ErrorClass("x")).toBeInstanceOf(api.ECache);
    expect(new api.ECache("x")).toBeInstanceOf(Error);
    expect(new api.EInvalidArgument("key", "x")).toBeInstanceOf(TypeError);
  });

  it("builds to dist/, and the package imports itself by name from the checkout", async () => {
    const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
    expect(pkg.exports["."].default).toBe("./dist/index.js");
    expect(pkg.bin.jobcache).toBe("dist/cli/main.js");
    await run("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root });
    const script = "const m = await import('jobcache'); console.log(Object.keys(m).sort().join(','))";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    for (const name of CONTRACT_VALUES) expect(stdout.trim().split(",")).toContain(name);
    const version = await run(process.execPath, ["dist/cli/main.js", "--version"], { cwd: root });
    expect(version.stdout.trim()).toBe(pkg.version);
  }, 300_000); // a full tsc build: minutes on a loaded 2-core machine
});
