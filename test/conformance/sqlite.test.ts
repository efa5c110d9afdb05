import { describeJobCacheConformance } from "../../src/testing/index.js";
import { sqlConformanceTarget } from "../setup/sql-targets.js";

describeJobCacheConformance(sqlConformanceTarget("SQLITE"));
