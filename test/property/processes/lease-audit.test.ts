/**
 * The lease audit's checks on hand-written trigger rows: they must catch what the process tests
 * rely on them to catch (overlapping tickets, a ticket back after a takeover, a lost or doubled
 * write), or a clean audit of a real run would prove nothing.
 */
import { describe, expect, it } from "vitest";
import { type AuditRow, auditLeases, writtenRevisions } from "./support/lease-audit.js";

let seq = 0;
function row(ticketId: string, fields: Partial<AuditRow> & Pick<AuditRow, "grantTime" | "expiry">): AuditRow {
  seq += 1;
  return { seq, key: "k", ticketId, revision: 1, state: "granted", requestId: null, loggedAt: 0, ...fields };
}

describe("auditLeases", () => {
  it("accepts back-to-back tickets, a renewal, and a takeover at exactly the old expiry", () => {
    const rows = [
      row("a", { grantTime: 100, expiry: 200 }),
      row("a", { grantTime: 100, expiry: 300 }), // renewed
      row("a", { grantTime: 100, expiry: 250, state: "released" }),
      row("b", { grantTime: 250, expiry: 400 }),
      row("c", { grantTime: 400, expiry: 500 }), // b expired, c took over
    ];
    const audit = auditLeases(rows);
    expect(audit.problems).toEqual([]);
    expect(audit.intervals.map((i) => [i.ticketId, i.start, i.end])).toEqual([
      ["a", 100, 250],
      ["b", 250, 400],
      ["c", 400, 500],
    ]);
  });

  it("reports a grant before the previous holder's last recorded expiry", () => {
    const audit = auditLeases([
      row("a", { grantTime: 100, expiry: 300 }),
      row("b", { grantTime: 299, expiry: 400 }),
    ]);
    expect(audit.problems).toEqual([
      expect.stringContaining("ticket b granted at 299 while ticket a held the key until 300"),
    ]);
  });

  it("reports an overlap with an earlier, longer ticket, not only the one just before", () => {
    const audit = auditLeases([
      row("a", { grantTime: 100, expiry: 1000 }),
      row("b", { grantTime: 1000, expiry: 1100 }),
      row("c", { grantTime: 500, expiry: 600, key: "k" }),
    ]);
    expect(audit.problems.some((line) => line.includes("ticket c granted at 500 while ticket a"))).toBe(true);
  });

  it("reports a ticket that changes the lease after another took it, and a changed grant time", () => {
    const audit = auditLeases([
      row("a", { grantTime: 100, expiry: 200 }),
      row("b", { grantTime: 200, expiry: 300 }),
      row("a", { grantTime: 100, expiry: 400 }), // a renewal that revived a after b's takeover
      row("a", { grantTime: 150, expiry: 400 }),
    ]);
    expect(audit.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("ticket a changed the lease again after another ticket took it"),
        expect.stringContaining("ticket a changed its grant time"),
      ]),
    );
  });

  it("keeps keys apart", () => {
    const audit = auditLeases([
      row("a", { grantTime: 100, expiry: 300, key: "x" }),
      row("b", { grantTime: 150, expiry: 300, key: "y" }),
    ]);
    expect(audit.problems).toEqual([]);
  });
});

describe("writtenRevisions", () => {
  it("lists one revision per write, not per renewal of a committed lease", () => {
    const written = writtenRevisions([
      row("a", { grantTime: 1, expiry: 9, state: "committed", revision: 1, requestId: "r1" }),
      row("a", { grantTime: 1, expiry: 19, state: "committed", revision: 1, requestId: "r1" }), // renewed
      row("a", { grantTime: 1, expiry: 19, state: "committed", revision: 2, requestId: "r2" }),
      row("a", { grantTime: 1, expiry: 19, state: "released", revision: 2, requestId: "r2" }),
      row("b", { grantTime: 19, expiry: 29, revision: 2 }),
      row("b", { grantTime: 19, expiry: 29, state: "committed", revision: 3, requestId: "r3" }),
    ]);
    expect(written.get("k")).toEqual([1, 2, 3]);
  });

  it("shows a doubled write as a repeated revision", () => {
    const written = writtenRevisions([
      row("a", { grantTime: 1, expiry: 9, state: "committed", revision: 2, requestId: "r1" }),
      row("b", { grantTime: 9, expiry: 19, state: "committed", revision: 2, requestId: "r2" }),
    ]);
    expect(written.get("k")).toEqual([2, 2]);
  });
});
