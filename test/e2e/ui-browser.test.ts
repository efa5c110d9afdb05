/**
 * `jobcache ui` in a real headless Chromium (Debian's `chromium`, driven by playwright-core): the
 * page loads, shows the leases the test holds (and those of a running `jobcache run`), draws the
 * statecharts, and updates when a step commits. Under CI=true a missing Chromium fails the test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createJobCacheManager, type JobCacheManager } from "../../src/index.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../setup/sql-test-db.js";
import { jsonReport, ROOT, runCli } from "./run-cli.js";

const MISSING_CHROMIUM =
  "the browser test needs Chromium: apt-get update && apt-get install -y chromium " +
  "(or set JOBCACHE_CHROMIUM to a Chromium binary)";

/** JOBCACHE_CHROMIUM, else `chromium` (Debian) or `chromium-browser` on the PATH. */
function findChromium(): string | undefined {
  const candidates = [
    process.env.JOBCACHE_CHROMIUM,
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .flatMap((dir) => [join(dir, "chromium"), join(dir, "chromium-browser")]),
  ];
  return candidates.find((file) => {
    if (file === undefined || file === "") return false;
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const CHROMIUM = findChromium();
const CI = process.env.CI === "true";
if (CHROMIUM === undefined && !CI) console.warn(`ui-browser.test.ts skipped: ${MISSING_CHROMIUM}`);

// Without the background-networking flags Chromium keeps calling hosts this closed network refuses.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Generous: the page updates within a second, but CI machines are loaded. */
const WAIT_MS = 60_000;

/** How long the `jobcache run` of the test may take. */
const RUN_LIMIT_MS = 300_000;

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** `jobcache ui --port 0` as a separate process; resolves with its URL once it listens. */
async function startUi(config: string, ...flags: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", TSX, join(ROOT, "src/cli/main.ts"), "ui", "--config", config, "--port", "0", ...flags],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (found !== null) resolve(found[0]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) =>
      reject(new Error(`jobcache ui exited (${code}) before listening:\n${output}`)),
    );
  });
  return { url, child };
}

async function stopUi(child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}

describe.skipIf(CHROMIUM === undefined && !CI).each(TEST_DIALECTS)(
  "jobcache ui in Chromium on %s",
  (dialect) => {
    let database: TestDatabase;
    let dir: string;
    let config: string;
    let manager: JobCacheManager;
    let ui: { url: string; child: ChildProcess } | undefined;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      if (CHROMIUM === undefined) throw new Error(`CI=true: ${MISSING_CHROMIUM}`);
      database = await createTestDatabase(dialect, `e2e/ui-browser ${dialect}`);
      await deploySchema(database.config());
      dir = await mkdtemp(join(tmpdir(), "jobcache-ui-"));
      config = join(dir, "platform.yaml");
      await writeFile(config, stringify({ jobCache: database.config() }));
      manager = await createJobCacheManager(database.config());
      const jobs = manager.getCache("jobs");
      for (const key of ["job-a", "job-b", "job-c"]) {
        await using ticket = await jobs.openNewTicket(key, 60_000);
        await jobs.createEntry(ticket, "QUEUED_IN_TRAC", { key, attempt: 0 });
      }
      ui = await startUi(config);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      const code = await stopUi(ui?.child);
      await manager?.close();
      await database?.drop();
      if (dialect === "POSTGRESQL") await stopFallbackPostgres();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      // SIGTERM is how the view is meant to stop: a clean exit, not a crash
      expect(code).toBe(0);
    }, 120_000);

    it("shows the live leases and the statecharts, and updates when a step commits", async () => {
      const jobs = manager.getCache("jobs");
      const held = await jobs.openTicket("job-a", 1, 240_000);
      await page.goto(ui?.url ?? "");

      const row = page.locator('#leases tbody tr[data-key="job-a"]');
      await row.waitFor({ timeout: WAIT_MS });
      expect(await row.getAttribute("data-state")).toBe("granted");
      expect(await row.locator("td.holder").textContent()).not.toBe("");
      expect(await row.locator("td.time-left").textContent()).toMatch(/^\d+\.\d s$/);
      await page.locator('#connection[data-state="live"]').waitFor({ timeout: WAIT_MS });
      const queued = page.locator('#counts tbody tr[data-status="QUEUED_IN_TRAC"] td.num');
      expect(await queued.textContent()).toBe("3");
      await page.locator("#machine-ticket svg").waitFor({ timeout: WAIT_MS });
      await page.locator("#machine-job svg").waitFor({ timeout: WAIT_MS });
      expect(await page.locator("#machine-ticket").textContent()).toContain("granted · 1");
      expect(await page.locator("#machine-job").textContent()).toContain("QUEUED_IN_TRAC · 3");
      expect(await page.locator("#revoke-mode").textContent()).toContain("Read-only");
      expect(await page.locator("#leases button").count()).toBe(0);

      // a step commits: the lease row, the counts and the job chart follow without a reload
      await jobs.updateEntry(held, "LAUNCH_SCHEDULED", { key: "job-a", attempt: 1 });
      await page
        .locator('#leases tbody tr[data-key="job-a"][data-revision="2"][data-state="committed"]')
        .waitFor({ timeout: WAIT_MS });
      await page.locator('#counts tbody tr[data-status="LAUNCH_SCHEDULED"]').waitFor({ timeout: WAIT_MS });
      await page.getByText("LAUNCH_SCHEDULED · 1").waitFor({ timeout: WAIT_MS });

      // the job's own view: entry, value as JSON, lease, and what history is still to come
      await row.click();
      await page.locator("#job:not([hidden])").waitFor({ timeout: WAIT_MS });
      const facts = await page.locator("#job-facts").textContent();
      expect(facts).toContain("LAUNCH_SCHEDULED");
      expect(facts).toContain("committed, revision 2");
      expect(JSON.parse((await page.locator("#job-value").textContent()) ?? "")).toEqual({
        key: "job-a",
        attempt: 1,
      });
      expect(await page.locator("#job").textContent()).toContain("history table");

      // released: the lease leaves the live table
      await held.close();
      await row.waitFor({ state: "detached", timeout: WAIT_MS });
    }, 300_000);

    it("with --allow-revoke: a revoke button per live lease that ends it, or says revoke is unavailable", async () => {
      const jobs = manager.getCache("jobs");
      const held = await jobs.openTicket("job-b", 1, 240_000);
      const revoking = await startUi(config, "--allow-revoke");
      try {
        const other = await browser.newPage();
        await other.goto(revoking.url);
        const row = other.locator('#leases tbody tr[data-key="job-b"]');
        await row.waitFor({ timeout: WAIT_MS });
        const mode = await other.locator("#revoke-mode").textContent();
        if (mode?.includes("unavailable")) {
          // this store has no revoke yet: no button, and the page says why
          expect(await other.locator("#leases button").count()).toBe(0);
        } else {
          expect(mode).toContain("Revoke is on");
          await row.locator("button").click();
          // the lease leaves the table, or stays in a state other than granted
          await other
            .locator('#leases tbody tr[data-key="job-b"][data-state="granted"]')
            .waitFor({ state: "detached", timeout: WAIT_MS });
        }
        await other.close();
      } finally {
        await held.close();
        expect(await stopUi(revoking.child)).toBe(0);
      }
    }, 300_000);

    // the whole main job once is enough: the test above checks the same page on every dialect
    if (dialect !== "SQLITE") return;
    it(
      "shows the leases of a running jobcache run, and none once it has finished",
      async () => {
        await page.goto(ui?.url ?? "");
        await page.locator('#connection[data-state="live"]').waitFor({ timeout: WAIT_MS });
        // few jobs and a long limit: on a loaded machine starting the orchestrators takes most of the time
        const run = runCli(
          ["run", "--config", config, "--jobs", "12", "--processes", "2", "--json"],
          ROOT,
          RUN_LIMIT_MS,
        );
        // the run's orchestrators hold leases on the cache it works in
        await page.locator("#leases tbody tr").first().waitFor({ timeout: RUN_LIMIT_MS });
        const report = jsonReport(await run);
        expect(report).toMatchObject({ jobs: 12, completed: 12, doubleCommits: 0, lostJobs: 0 });
        await page.locator("#no-leases:not([hidden])").waitFor({ timeout: WAIT_MS });
      },
      RUN_LIMIT_MS + 60_000,
    );
  },
);
