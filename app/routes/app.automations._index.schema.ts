// Automations list (app.automations._index.tsx): the on/off switch of an automation that has one.
// Messages are admin i18n keys.
import { z } from "zod";
import { ABANDONED_CART } from "~/domain/reminders/abandoned-cart";
import { formText } from "~/domain/forms/parse";

/** Automations switched on/off from the list (the lifecycle ones are switched on their own page). */
const TOGGLED_AUTOMATIONS = [ABANDONED_CART] as const;

export const AutomationToggleForm = z.object({
  kind: formText.pipe(z.enum(TOGGLED_AUTOMATIONS, "forms.errors.invalidChoice")),
  enabled: formText.pipe(z.enum(["true", "false"], "forms.errors.invalidChoice")).transform((v) => v === "true"),
});
