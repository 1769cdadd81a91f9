// Broadcast report: the id in the URL. Messages are admin i18n keys.
import { z } from "zod";
import { formId } from "~/domain/forms/parse";

/** /app/broadcasts/:id — a broadcast id (whether it is this shop's is the service's check: getBroadcast). */
export const BroadcastParams = z.object({ id: formId });
