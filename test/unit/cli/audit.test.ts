import { describe, expect, it } from "vitest";
import { type ArchivedJob, auditRun } from "../../../src/cli/run/audit.js";

function job(key: string, workers: string[], removedBy = workers.at(-1) ?? "w1"): ArchivedJob {
  return {
    key,
    retries: 0,
    removedBy,
    history: workers.map((worker, i) => ({ revision: i + 1, status: `S${i}`, worker })),
  };
}

describe("auditRun", () => {
  it("passes a clean run and counts its steps", () => {
    const archived = [job("a", ["seed", "w1", "w1"]), job("b", ["seed", "w2"])];
    const reports = [
      { key: "a", revision: 2, worker: "w1" },
      { key: "a", revision: 3, worker: "w1" },
      { key: "a", revision: 0, worker: "w1" },
      { key: "b", revision: 2, worker: "w2" },
      { key: "b", revision: 0, worker: "w2" },
    ];
    const result = auditRun(["a", "b"], archived, reports, new Set());
    expect(result).toMatchObject({
      completed: 2,
      lostJobs: 0,
      doubleCommits: 0,
      stepsCommitted: 5,
      failovers: 0,
    });
    expect(result.problems).toEqual([]);
  });

  it("counts two reports of one revision as a double commit", () => {
    const reports = [
      { key: "a", revision: 2, worker: "w1" },
      { key: "a", revision: 2, worker: "w2" },
    ];
    const result = auditRun(["a"], [job("a", ["seed", "w1"])], reports, new Set());
    expect(result.doubleCommits).toBe(1);
    expect(result.problems.join()).toContain("a@2 was committed twice");
  });

  it("counts a reported commit that the entry does not record (a lost update) as a double commit", () => {
    const reports = [{ key: "a", revision: 2, worker: "w2" }];
    const result = auditRun(["a"], [job("a", ["seed", "w1"])], reports, new Set());
    expect(result.doubleCommits).toBe(1);
  });

  it("counts a job that never finished as lost", () => {
    const result = auditRun(["a", "b"], [job("a", ["seed", "w1"])], [], new Set());
    expect(result.lostJobs).toBe(1);
    expect(result.problems.join()).toContain("b");
  });

  it("flags a history with a gap in its revisions", () => {
    const broken: ArchivedJob = {
      ...job("a", ["seed", "w1"]),
      history: [
        { revision: 1, status: "Q", worker: "seed" },
        { revision: 3, status: "R", worker: "w1" },
      ],
    };
    expect(auditRun(["a"], [broken], [], new Set()).problems.join()).toContain("holds revision 3");
  });

  it("counts a job continued by another worker after its worker was killed as a failover", () => {
    const archived = [job("a", ["seed", "w1", "w2"], "w2"), job("b", ["seed", "w1", "w1"], "w1")];
    expect(auditRun(["a", "b"], archived, [], new Set(["w1"])).failovers).toBe(1);
    expect(auditRun(["a", "b"], archived, [], new Set()).failovers).toBe(0);
  });
});
