/**
 * The machine a run happened on, for the report: figures from different machines are not
 * comparable, ratios less so than absolute times but still not exactly.
 * @module
 */
import { cpus, loadavg, release, totalmem, type } from "node:os";
import type { MachineInfo } from "./bench-report.js";

/** Describes this machine now. */
export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? "unknown",
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: loadavg()[0] ?? 0,
  };
}
