// GET /healthz — public liveness/readiness: a bare {status} (details: Authorization: Bearer HEALTH_TOKEN).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { healthAnswer, mayReadHealthDetails } from "~/services/health.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const r = await healthAnswer({ details: mayReadHealthDetails(request.headers.get("authorization")) });
  return Response.json(r.body, { status: r.status, headers: { "Cache-Control": "no-store" } });
};
