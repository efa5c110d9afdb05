/**
 * Three processes, each a manager with its own pool, racing on ONE MariaDB database, against
 * the reference model. Without a MariaDB server the test reports "not run" with the install
 * command; under CI=true a missing server fails.
 */
import { whenMysqlAvailable } from "../sql/mysql/support/describe-mysql.js";
import { describeRace } from "./support/describe-race.js";
import { testFileOf } from "./support/property-params.js";
import { sqlRaceTarget } from "./support/sql-race-target.js";

const testFile = testFileOf(import.meta.url);

whenMysqlAvailable("MARIADB: processes racing on one store, against the model", () => {
  describeRace("MARIADB", () => sqlRaceTarget("MARIADB", 3, testFile), {
    runs: 60,
    maxCommands: 50,
    msPerRun: 600,
    testFile,
  });
});
