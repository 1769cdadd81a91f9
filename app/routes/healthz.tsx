import { json } from "@remix-run/node";
import { healthReport } from "~/services/health.server";

export const loader = async () => {
  const report = await healthReport();
  return json(report, { status: report.status === "error" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
};
