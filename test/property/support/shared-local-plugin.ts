/**
 * LOCAL_SHARED_TEST: a test-only protocol whose managers share one in-process store, so several
 * "processes" (managers, each with its own clock) race on one LocalStore as orchestrators race
 * on one database. The plain LOCAL protocol gives every manager a store of its own.
 * @module
 */

import type { Clock } from "../../../src/base/clock.js";
import { ECacheConfig } from "../../../src/base/errors.js";
import type { PluginConfig } from "../../../src/base/types.js";
import { registerJobCachePlugin } from "../../../src/manager/plugin-registry.js";
import type { JobCachePlugin, JobStore } from "../../../src/store/store.js";
import { type Gate, GatedStore, openGate } from "./gated-store.js";

/** The protocol name managers are created with. */
export const LOCAL_SHARED_PROTOCOL = "LOCAL_SHARED_TEST";

/** One shared store and the gate its handles pass calls through. */
export interface SharedSpace {
  readonly id: string;
  readonly store: JobStore;
  /** Replaced per run by the run's scheduler. */
  gate: Gate;
  /** A manager config whose store is a handle on this space's store. */
  readonly config: PluginConfig;
}

const spaces = new Map<string, SharedSpace>();
let opened = 0;

const plugin: JobCachePlugin = {
  protocols: [LOCAL_SHARED_PROTOCOL],
  async createStore(config) {
    const id = config.properties?.space ?? "";
    const space = spaces.get(id);
    if (space === undefined) {
      throw new ECacheConfig(`${LOCAL_SHARED_PROTOCOL}: set properties.space to an open space, got "${id}"`);
    }
    const process = config.properties?.process ?? "";
    // closing one manager must not close the store the other "processes" still use
    return new GatedStore(space.store, { gate: () => space.gate, closeInner: false, label: process });
  },
};

/**
 * Opens a space around the store `makeStore` builds on `storeClock` (the store's own time, as a
 * database clock is). Managers are created with `space.config` plus a `process` property.
 */
export function openSharedSpace(storeClock: Clock, makeStore: (clock: Clock) => JobStore): SharedSpace {
  registerJobCachePlugin(plugin);
  opened += 1;
  const id = `space-${opened}`;
  const space: SharedSpace = {
    id,
    store: makeStore(storeClock),
    gate: openGate,
    config: { protocol: LOCAL_SHARED_PROTOCOL, properties: { space: id } },
  };
  spaces.set(id, space);
  return space;
}

/** Forgets a space and closes its store. */
export async function dropSharedSpace(space: SharedSpace): Promise<void> {
  spaces.delete(space.id);
  await space.store.close();
}

/** `space.config` for the manager of process `name`. */
export function processConfig(space: SharedSpace, name: string): PluginConfig {
  return { ...space.config, properties: { ...space.config.properties, process: name } };
}
