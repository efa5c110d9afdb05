import { describeJobCacheConformance } from "../../src/testing/index.js";
import { sqlConformanceTarget } from "../setup/sql-targets.js";
import { whenMysqlAvailable } from "../sql/mysql/support/describe-mysql.js";

whenMysqlAvailable("jobcache conformance: MARIADB", () => {
  describeJobCacheConformance(sqlConformanceTarget("MARIADB"));
});
