import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
import * as runtime from "../../src/orchestrator.js";

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

/** The values CONTRACT.md "Runtime" names, exported from `jobcache/orchestrator`. */
const RUNTIME_VALUES = [
  "runTicketStep",
  "createOrchestrator",
  "ticketMachine",
  "jobMachine",
  "commandExecutor",
  "SimulatedExecutor",
  "statusTable",
  "machineLifecycle",
  "tracLifecycle",
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

    expect(pkg.exports["./orchestrator"]).toEqual({
      types: "./dist/orchestrator.d.ts",
      default: "./dist/orchestrator.js",
    });
    const runtimeScript =
      "const m = await import('jobcache/orchestrator'); console.log(Object.keys(m).sort().join(','))";
    const built = await run(process.execPath, ["--input-type=module", "-e", runtimeScript], { cwd: root });
    for (const name of RUNTIME_VALUES) expect(built.stdout.trim().split(",")).toContain(name);

    // built once, `npm start -- --help` does not build again: it only checks that nothing changed
    const before = (await stat(new URL("dist/index.js", root))).mtimeMs;
    const help = await run("npm", ["start", "--silent", "--", "--help"], { cwd: root });
    expect(help.stdout).toContain("Usage: jobcache run");
    expect((await stat(new URL("dist/index.js", root))).mtimeMs).toBe(before);
  }, 300_000); // a full tsc build: minutes on a loaded 2-core machine

  it("jobcache/orchestrator exports every runtime name CONTRACT.md lists", () => {
    for (const name of RUNTIME_VALUES) expect(runtime, name).toHaveProperty(name);
    expect(runtime.ticketMachine.id).toBe("ticket");
    expect(runtime.jobMachine.id).toBe("job");
  });

  it("runTicketStep's TSDoc example is code a user can write: it type-checks against the package", async () => {
    const source = await readFile(new URL("src/runtime/ticket-actor.ts", root), "utf8");
    const block = /@example\n \* ```ts\n([\s\S]*?) \* ```/.exec(source)?.[1];
    expect(block).toBeDefined();
    const code = (block ?? "").replace(/^ \* ?/gm, "");
    expect(code).toContain('from "jobcache/orchestrator"');
    const dir = await mkdtemp(join(tmpdir(), "jobcache-tsdoc-"));
    try {
      await writeFile(join(dir, "example.mts"), code);
      const tsconfig = {
        extends: fileURLToPath(new URL("tsconfig.json", root)),
        compilerOptions: {
          noEmit: true,
          rootDir: "/",
          typeRoots: [fileURLToPath(new URL("node_modules/@types", root))],
        },
        include: [join(dir, "example.mts")],
      };
      await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
      const tsc = fileURLToPath(new URL("node_modules/typescript/bin/tsc", root));
      await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: root });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
