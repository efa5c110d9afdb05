/**
 * The multi-process property: random command sequences (single operations, races of two or
 * three processes, clock moves and process pauses) run against a {@link RaceTarget} and the
 * model side by side (fc.asyncModelRun), store calls ordered by fast-check's scheduler. After
 * every command: one live ticket per key at most (model and store agree), writes fenced and +1
 * per revision, queryKey and queryStatus as the model says.
 * @module
 */
import fc from "fast-check";
import { commandsReplayPath } from "../support/property-params.js";
import type { RaceTarget } from "../support/race-system.js";
import { Coverage } from "./coverage.js";
import { initialModel, type Model, type ModelConfig } from "./model.js";
import type { RaceRun } from "./op.js";
import { opArbitrary } from "./ops/index.js";
import { TICKET_OWNER } from "./ops/ticket-op.js";
import { RaceCommand } from "./race-command.js";
import { StepCommand } from "./step-command.js";
import { AdvanceTimeCommand, PauseProcessCommand, ResumeProcessCommand } from "./time-commands.js";
import { clockStepArbitrary } from "./time-steps.js";

/** Options of {@link multiProcessProperty}. */
export interface MultiProcessOptions {
  /** How many keys the processes race on. @defaultValue 2 */
  readonly keys?: number;
  /** Commands per run at most. @defaultValue 30 */
  readonly maxCommands?: number;
}

const KEYS = ["job-a", "job-b", "job-c"] as const;
const STATUSES = ["QUEUED", "RUNNING", "DONE"] as const;

/** The model's fixed settings for `processes` processes. */
export function modelConfig(processes: number, keys = 2): ModelConfig {
  return { processes, keys: KEYS.slice(0, keys), statuses: STATUSES };
}

type RaceCommandArbitrary = fc.Arbitrary<fc.AsyncCommand<Model, RaceRun>>;

/** Every command the property generates, weighted towards operations and races. */
export function commandArbitrary(config: ModelConfig): RaceCommandArbitrary {
  const anyProcess = fc.nat(config.processes - 1);
  const step = opArbitrary(config, anyProcess, fc.constant(TICKET_OWNER)).map((op) => new StepCommand(op));
  const race = fc
    .uniqueArray(anyProcess, { minLength: 2, maxLength: Math.min(3, config.processes) })
    .chain((processes) => fc.tuple(...processes.map((p) => opArbitrary(config, fc.constant(p)))))
    .map((ops) => new RaceCommand(ops));
  const advance = clockStepArbitrary.map((ms) => new AdvanceTimeCommand(ms));
  const pause = fc.tuple(anyProcess, clockStepArbitrary).map(([p, ms]) => new PauseProcessCommand(p, ms));
  const resume = anyProcess.map((p) => new ResumeProcessCommand(p));
  return fc.oneof(
    { arbitrary: step as RaceCommandArbitrary, weight: 14 },
    { arbitrary: race as RaceCommandArbitrary, weight: 6 },
    { arbitrary: advance as RaceCommandArbitrary, weight: 1 },
    { arbitrary: pause as RaceCommandArbitrary, weight: 2 },
    { arbitrary: resume as RaceCommandArbitrary, weight: 1 },
  );
}

/**
 * The property for `target`; run it with assertProperty (or fc.check, for mutants). Outcomes
 * seen are counted in `coverage` when given.
 */
export function multiProcessProperty(
  target: RaceTarget,
  options: MultiProcessOptions = {},
  coverage: Coverage = new Coverage(),
) {
  const config = modelConfig(target.processes, options.keys);
  const replayPath = commandsReplayPath();
  const commands = fc.commands([commandArbitrary(config)], {
    maxCommands: options.maxCommands ?? 30,
    // "max": lengths spread up to maxCommands (the default size keeps them under 10)
    size: "max",
    ...(replayPath === undefined ? {} : { replayPath }),
  });
  // asyncModelRun, not scheduledModelRun: the latter runs each command as one scheduled task and
  // releases no other task until it ends, so the store calls gated inside a command would wait
  // forever; each command releases its own calls with scheduler.waitFor (RaceRun.settle).
  return fc.asyncProperty(fc.scheduler(), commands, async (scheduler, cmds) => {
    const system = await target.startRun((label) => scheduler.schedule(Promise.resolve(), label));
    const run: RaceRun = {
      system,
      tickets: new Map(),
      storeIds: new Map(),
      settle: (task) => scheduler.waitFor(task),
      coverage,
    };
    await fc.asyncModelRun(() => ({ model: initialModel(config), real: run }), cmds);
  });
}
