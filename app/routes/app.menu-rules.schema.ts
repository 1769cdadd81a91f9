// Menu rules page forms (app.menu-rules.tsx): save the ordered rules and the default menu, ask "which
// menu would this friend see?", start "Apply now". Messages are admin i18n keys; a rule's problem is
// reported at `rules.<index>.<field>`. saveRules checks the menus and segments belong to the shop.
import { z } from "zod";
import { formJson, formOptionalId, formText } from "~/domain/forms/parse";
import { MenuRuleListSchema } from "~/domain/rich-menus/rule-input";

export const MenuRulesForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), rules: formJson(MenuRuleListSchema), defaultMenuId: formOptionalId }),
    z.object({ intent: z.literal("which"), friendId: formOptionalId, query: formText.pipe(z.string().max(200, "forms.errors.tooBig")) }),
    z.object({ intent: z.literal("apply") }),
  ],
  "forms.errors.invalid",
);
