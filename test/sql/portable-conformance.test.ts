/**
 * The whole conformance suite on the portable strategies (transactions of plain SQL, no
 * RETURNING, upsert or writable CTE): the code path of dialects without those features (MySQL),
 * checked here on SQLite and PostgreSQL. The native strategies run in the main conformance suite.
 */
import { describeJobCacheConformance } from "../../src/testing/index.js";
import { sqlConformanceTarget } from "../setup/sql-targets.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import { portable } from "./fixtures/sql-store-fixture.js";

for (const dialect of TEST_DIALECTS) {
  const target = sqlConformanceTarget(dialect, { adapter: portable });
  describeJobCacheConformance({ ...target, name: `${dialect} portable strategies` });
}
