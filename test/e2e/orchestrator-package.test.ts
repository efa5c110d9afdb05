/**
 * The runtime as a user gets it: `npm pack`, the tarball unpacked into a fresh project's
 * node_modules (its dependencies linked from this checkout, to stay fast and offline),
 * examples/orchestrator.ts compiled there against the installed types, and run as two worker
 * processes on one SQLite file, one of them killed with SIGKILL mid-run.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT } from "./run-cli.js";

const run = promisify(execFile);

let dir: string;
let app: string;

interface JobRow {
  key: string;
  status: string;
  revision: number;
  log: string[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-package-"));
  app = join(dir, "app");
  const modules = join(app, "node_modules");
  await mkdir(modules, { recursive: true });
  // npm pack runs the prepack build, so the tarball holds dist/ as published
  const { stdout } = await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT });
  const tarball = join(dir, stdout.trim().split("\n").at(-1) ?? "");
  await run("tar", ["xzf", tarball, "-C", modules]);
  await rename(join(modules, "package"), join(modules, "jobcache"));
  for (const name of await readdir(join(ROOT, "node_modules"))) {
    if (name === "jobcache" || name.startsWith(".")) continue;
    await symlink(join(ROOT, "node_modules", name), join(modules, name));
  }
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "thumbnails", type: "module", private: true }),
  );
  await copyFile(join(ROOT, "examples/orchestrator.ts"), join(app, "orchestrator.ts"));
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  const flags = [
    "--module",
    "nodenext",
    "--target",
    "es2022",
    "--strict",
    "--types",
    "node",
    "--skipLibCheck",
  ];
  await run(process.execPath, [tsc, ...flags, "--lib", "es2023,esnext.disposable", "orchestrator.ts"], {
    cwd: app,
  });
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function node(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ["orchestrator.js", ...args], { cwd: app });
}

function worker(name: string, db: string): ChildProcess {
  return spawn(process.execPath, ["orchestrator.js", "work", db, name], { cwd: app, stdio: "ignore" });
}

async function report(db: string): Promise<JobRow[]> {
  return JSON.parse((await node(["report", db])).stdout) as JobRow[];
}

/** Jobs the two workers share. */
const JOBS = 600;

describe("jobcache/orchestrator installed from the packed tarball", () => {
  it("the installed package opens ./orchestrator with the runtime's names, typed", async () => {
    const pkg = JSON.parse(await readFile(join(app, "node_modules/jobcache/package.json"), "utf8"));
    expect(pkg.exports["./orchestrator"]).toEqual({
      types: "./dist/orchestrator.d.ts",
      default: "./dist/orchestrator.js",
    });
    const script =
      "const m = await import('jobcache/orchestrator'); console.log(Object.keys(m).sort().join(','))";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    for (const name of [
      "createOrchestrator",
      "runTicketStep",
      "ticketMachine",
      "jobMachine",
      "commandExecutor",
    ]) {
      expect(stdout.trim().split(",")).toContain(name);
    }
  });

  it("two worker processes on one SQLite file; SIGKILL of one loses nothing and doubles nothing", async () => {
    // enough jobs that the kill lands mid-run: on the fast path 100 were all done before it
    const db = join(dir, "jobs.db");
    await node(["seed", db, String(JOBS)]);
    const a = worker("A", db);
    const b = worker("B", db);
    const aExited = new Promise<string | null>((resolve) =>
      a.once("exit", (_code, signal) => resolve(signal)),
    );
    const bExited = new Promise<number | null>((resolve) => b.once("exit", (code) => resolve(code)));
    // mid-run: some jobs done by A, most not yet
    await vi.waitFor(
      async () => {
        const rows = await report(db);
        expect(rows.filter((row) => row.log.some((line) => line.endsWith("by A"))).length).toBeGreaterThan(3);
      },
      { timeout: 60_000, interval: 100 },
    );
    a.kill("SIGKILL");
    expect(await aExited).toBe("SIGKILL");
    const atKill = await report(db);
    expect(atKill.filter((row) => row.status === "DONE").length).toBeLessThan(JOBS);
    await vi.waitFor(
      async () => expect((await report(db)).filter((row) => row.status === "DONE")).toHaveLength(JOBS),
      { timeout: 120_000, interval: 200 },
    );
    b.kill("SIGTERM");
    expect(await bExited).toBe(0);

    const rows = await report(db);
    expect(rows).toHaveLength(JOBS);
    for (const row of rows) {
      // exactly one commit per step, each at the revision after the last: nothing twice, nothing skipped
      expect(row).toMatchObject({ status: "DONE", revision: 3 });
      expect(row.log).toHaveLength(2);
      expect(row.log[0]).toMatch(/^RESIZED@2 by [AB]$/);
      expect(row.log[1]).toMatch(/^DONE@3 by [AB]$/);
    }
    const byB = rows.filter((row) => row.log.some((line) => line.endsWith("by B")));
    expect(byB.length).toBeGreaterThan(0);
    // the effects log holds every step's work; a step cut short by the kill may have run twice,
    // but each job's fencing tokens show it was granted at each revision
    const effects = (await readFile(`${db}.effects`, "utf8")).trim().split("\n");
    for (const row of rows) {
      expect(effects).toContainEqual(expect.stringMatching(new RegExp(`^${row.key} resize 1 [AB]$`)));
      expect(effects).toContainEqual(expect.stringMatching(new RegExp(`^${row.key} publish 2 [AB]$`)));
    }
  }, 240_000);
});
