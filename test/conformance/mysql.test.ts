import { describeJobCacheConformance } from "../../src/testing/index.js";
import { sqlConformanceTarget } from "../setup/sql-targets.js";
import { whenMysqlAvailable } from "../sql/mysql/support/describe-mysql.js";

// MySQL 8 proper is not installed here: the MYSQL dialect (no RETURNING) runs against MariaDB,
// whose server accepts everything MYSQL sends; the adapters' capability flags are what differs.
whenMysqlAvailable("jobcache conformance: MYSQL", () => {
  describeJobCacheConformance(sqlConformanceTarget("MYSQL"));
});
