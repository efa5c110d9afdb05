/**
 * The MYSQL dialect (no RETURNING: the portable grant and write strategies) under the same race
 * as MARIADB, against the MariaDB server, since MySQL 8 proper is not installed here. Without a
 * server the test reports "not run" with the install command; under CI=true it fails.
 */
import { whenMysqlAvailable } from "../sql/mysql/support/describe-mysql.js";
import { describeRace } from "./support/describe-race.js";
import { testFileOf } from "./support/property-params.js";
import { sqlRaceTarget } from "./support/sql-race-target.js";

const testFile = testFileOf(import.meta.url);

whenMysqlAvailable("MYSQL: processes racing on one store, against the model", () => {
  describeRace("MYSQL", () => sqlRaceTarget("MYSQL", 3, testFile), {
    runs: 60,
    maxCommands: 50,
    msPerRun: 600,
    testFile,
  });
});
