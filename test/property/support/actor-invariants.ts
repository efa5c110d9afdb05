/**
 * What must hold after any {@link ActorScenario}: never two actors granted the key at once (the
 * ledger), no actor commits once its lease is lost or expired, only committed steps wrote, and
 * the entry's revision counts exactly the committed writes, chained as the job machine says.
 * @module
 */
import type { ScenarioReport } from "./actor-scenario.js";

/** Every broken invariant of `report`, as sentences; empty when all hold. */
export function actorViolations(report: ScenarioReport): string[] {
  const found = [...report.ledgerViolations];
  for (const actor of report.actors) {
    const name = `actor ${actor.actor}`;
    const lost = actor.events.find((event) => event.type === "ticket:lost");
    if (lost !== undefined) {
      const late = actor.commitCalls.filter((at) => at >= lost.at);
      if (late.length > 0)
        found.push(`${name} lost its lease at ${lost.at} and then committed at ${late.join(", ")}`);
      if (actor.events.some((event) => event.type === "ticket:committed")) {
        found.push(`${name} reported both ticket:lost and ticket:committed`);
      }
    }
    if (actor.wrote && actor.outcome?.kind !== "committed") {
      found.push(`${name} wrote the entry but its step ended ${actor.outcome?.kind ?? "without an outcome"}`);
    }
  }
  const committedWrites = report.actors.filter((a) => a.outcome?.kind === "committed" && a.wrote).length;
  if (report.writes.length !== committedWrites) {
    found.push(`${report.writes.length} writes happened but ${committedWrites} committed steps wrote`);
  }
  // each write starts from the one before it: no step worked on a stale revision and won
  let revision = 1;
  let status: string | undefined = "QUEUED_IN_TRAC";
  for (const write of report.writes) {
    if (write.fromRevision !== revision || write.fromStatus !== status) {
      found.push(
        `actor ${write.actor} wrote from revision ${write.fromRevision} (${write.fromStatus}) ` +
          `but the entry was at ${revision} (${status})`,
      );
    }
    if (write.toRevision !== 0 && write.toRevision !== revision + 1) {
      found.push(`actor ${write.actor} moved the revision from ${revision} to ${write.toRevision}`);
    }
    revision = write.toRevision;
    status = write.toStatus;
  }
  const expected = revision === 0 ? undefined : { revision: 1 + committedWrites, status };
  if (JSON.stringify(report.finalEntry) !== JSON.stringify(expected)) {
    found.push(
      `the entry ends as ${JSON.stringify(report.finalEntry)}, expected ${JSON.stringify(expected)}`,
    );
  }
  if (report.liveLeasesAtEnd !== 0)
    found.push(`${report.liveLeasesAtEnd} lease(s) still live after every step ended`);
  if (report.unfinishedActors !== 0) found.push(`${report.unfinishedActors} actor(s) never finished`);
  if (report.pendingTimersAtEnd !== 0) found.push(`${report.pendingTimersAtEnd} timer(s) left scheduled`);
  return found;
}
