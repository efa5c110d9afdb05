/**
 * `jobcache ui`: the live view. Serves a page on 127.0.0.1 that shows the live leases (holder,
 * state, time left), jobs by status, one job's entry and lease, and the ticket and job
 * statecharts with the number of actors in each state; the page updates within a second of a
 * commit. Reads only, unless `--allow-revoke`. Runs until Ctrl-C (SIGINT) or SIGTERM.
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import { validateCacheName } from "../../base/validate.js";
import { CONFIG_OPTION_HELP, openConfiguredStore } from "../config-option.js";
import { DEFAULT_UI_PORT, startUiServer } from "../ui/ui-server.js";

interface UiFlags {
  config?: string;
  port: number;
  cache?: string;
  allowRevoke: boolean;
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > 65_535) {
    throw new InvalidArgumentError("expected a port from 0 to 65535 (0: any free port)");
  }
  return value;
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

async function ui(flags: UiFlags): Promise<void> {
  const cacheName = flags.cache === undefined ? undefined : validateCacheName(flags.cache);
  const { store, source } = await openConfiguredStore(flags.config);
  try {
    const stopped = stopSignal();
    const server = await startUiServer({
      store,
      source,
      port: flags.port,
      allowRevoke: flags.allowRevoke,
      ...(cacheName === undefined ? {} : { cacheName }),
    });
    const mode = flags.allowRevoke ? "revoke allowed" : "read-only";
    process.stdout.write(`jobcache ui: ${server.url} (${source}; ${mode}; Ctrl-C stops)\n`);
    await stopped;
    await server.close();
  } finally {
    await store.close();
  }
}

/** Adds `ui` to the program. */
export function addUiCommand(program: Command): void {
  program
    .command("ui")
    .description(
      "serve the live view on 127.0.0.1: leases with holder and time left, jobs by status, one " +
        "job's entry, and the ticket and job statecharts with the actors in each state; updates " +
        "are pushed within a second of a commit",
    )
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .option("--port <port>", "port on 127.0.0.1 (0: any free port)", port, DEFAULT_UI_PORT)
    .option("--cache <name>", "only this cache")
    .option("--allow-revoke", "show a revoke button per lease (when the store can revoke)", false)
    .addHelpText(
      "after",
      "\nExamples:\n  $ jobcache ui --config platform.yaml\n      open http://127.0.0.1:7420/ in a browser\n" +
        "  $ ssh -L 7420:127.0.0.1:7420 host   then jobcache ui on host: the view of a remote machine",
    )
    .action(ui);
}
