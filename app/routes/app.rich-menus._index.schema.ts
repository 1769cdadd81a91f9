// Rich menus list: the "create a menu" form. Messages are admin i18n keys.
import { z } from "zod";
import { formText } from "~/domain/forms/parse";
import { MENU_TEMPLATES } from "~/domain/rich-menus/templates";

export const CreateMenuForm = z.object({
  name: formText.pipe(z.string().min(1, "richMenus.create.errors.nameRequired")),
  template: formText.refine((id) => MENU_TEMPLATES.some((t) => t.id === id), "richMenus.create.errors.templateRequired"),
});
