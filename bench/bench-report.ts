/**
 * The shape of one benchmark run: what `npm run bench` prints and what docs/benchmarks.md is
 * rendered from. Every figure is a ratio against a baseline measured in the same run on the
 * same store; absolute times are kept for context only.
 * @module
 */

import type { ScenarioReport } from "./scenarios/scenario-report.js";

/** The stores a run can measure. */
export const STORE_NAMES = ["LOCAL", "SQLITE", "POSTGRESQL", "MARIADB"] as const;

/** One of {@link STORE_NAMES}. */
export type StoreName = (typeof STORE_NAMES)[number];

/**
 * Absolute time of one call, for context (never compared with a limit). Every round counts
 * once, as in the ratios: a round's figure is the median of its samples.
 */
export interface AbsoluteTime {
  /** Median over rounds of the round's median call time, microseconds. */
  readonly medianUs: number;
  /** Fastest and slowest round median. */
  readonly minUs: number;
  readonly maxUs: number;
  /** Timed samples over all rounds. */
  readonly samples: number;
  /** Calls per sample (each sample's time is divided by it). */
  readonly batch: number;
}

/** A baseline the ratios of a store are divided by. */
export interface BaselineResult {
  /** Column name, e.g. "select 1". */
  readonly name: string;
  /** What one call does, e.g. "`select 1` through the store's Kysely instance and pool". */
  readonly what: string;
  readonly absolute: AbsoluteTime;
}

/** An operation against one baseline. */
export interface RatioResult {
  /** Median over rounds of (operation median / baseline median) within the round. */
  readonly ratio: number;
  /** Smallest and largest per-round ratio: the spread of the figure in this run. */
  readonly min: number;
  readonly max: number;
}

/** One operation measured against its store's baselines. */
export interface OperationResult {
  /** e.g. "grant+close". */
  readonly name: string;
  /** What one call does, in API terms. */
  readonly what: string;
  /** One per baseline of the store, in the same order. */
  readonly ratios: readonly RatioResult[];
  readonly absolute: AbsoluteTime;
  /** SQL statements one call sends (BEGIN and COMMIT count), counted by Kysely's log; LOCAL: none. */
  readonly statements?: number | undefined;
}

/** Results of one store. */
export type StoreReport =
  | {
      readonly store: StoreName;
      readonly status: "measured";
      /** Server or library version, e.g. "PostgreSQL 15.20". */
      readonly version: string;
      /** Settings that shape the numbers, e.g. "synchronous=FULL, WAL". */
      readonly settings: string;
      readonly rounds: number;
      /** The round trip first; SQL stores add a durable one-row commit. */
      readonly baselines: readonly BaselineResult[];
      readonly operations: readonly OperationResult[];
    }
  | { readonly store: StoreName; readonly status: "skipped" | "failed"; readonly note: string };

/** Heap held by LOCAL entries, against a plain Map of the same data. */
export interface MemoryResult {
  /** Entries created per sample (the figures are scaled to 10k). */
  readonly entries: number;
  readonly samples: number;
  /** Heap bytes per 10k LOCAL entries (median over samples). */
  readonly localBytesPer10k: number;
  /** Heap bytes per 10k entries of the baseline Map. */
  readonly baselineBytesPer10k: number;
  /** localBytesPer10k / baselineBytesPer10k. */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
}

/** Where the run happened. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run started: the machine may be shared. */
  readonly loadAverage: number;
}

/** How the figures were taken. */
export interface MethodInfo {
  readonly rounds: number;
  readonly taskTimeMs: number;
  readonly warmupMs: number;
  readonly minSamples: number;
  readonly queryEntries: number;
  readonly timer: string;
}

/** One complete run. */
export interface BenchReport {
  /** The git commit the run measured (`abc1234`, `+ changes` when the tree was not clean). */
  readonly commit?: string | undefined;
  /** The scenarios of the run (bench/scenarios), when any ran. */
  readonly scenarios?: ScenarioReport | undefined;
  /** ISO time the run started. */
  readonly date: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  /** 1-minute load average when the run ended. */
  readonly loadAverageAtEnd: number;
  readonly method: MethodInfo;
  readonly stores: readonly StoreReport[];
  /** Undefined when LOCAL was not part of the run. */
  readonly memory: MemoryResult | undefined;
}
