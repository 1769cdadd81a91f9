// ROI dashboard: the date range in the URL.
import { z } from "zod";
import { DASHBOARD_RANGES } from "~/services/roi/dashboard.server";

/** ?days=7|30|90; anything else (missing, "365", "abc") shows the default 30 days rather than an error. */
export const DashboardQuery = z.object({
  days: z.coerce
    .number()
    .refine((n): n is (typeof DASHBOARD_RANGES)[number] => (DASHBOARD_RANGES as readonly number[]).includes(n))
    .catch(30),
});
