// Menu designer forms (app.rich-menus.$id.tsx): save / generate / publish the menu being edited,
// upload an image (the file is read with formFile), make the menu the default. This schema checks the
// shapes the page sends (tap areas and colours as JSON); LINE's rules on their contents (lengths,
// bounds inside the image, URLs) are validateMenu's, which the page runs too and the service runs
// again on save. Messages are admin i18n keys; the service checks a "switch" menu belongs to the shop.
import { z } from "zod";
import { formFlag, formJson, formText } from "~/domain/forms/parse";
import { MENU_TEMPLATES } from "~/domain/rich-menus/templates";

/** LINE allows 20 tap areas; a menu the page sends has at most that many. */
const MAX_AREAS = 20;
const text = z.string().max(5000, "forms.errors.tooBig");
const coordinate = z.number().int().min(-100_000).max(100_000);

const target = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("url"), url: text }),
  z.object({ kind: z.literal("product"), handle: text }),
  z.object({ kind: z.literal("collection"), handle: text }),
  z.object({ kind: z.literal("cart") }),
  z.object({ kind: z.literal("reorder") }),
  z.object({ kind: z.literal("orderStatus") }),
]);

const action = z.discriminatedUnion("type", [
  z.object({ type: z.literal("link"), target }),
  z.object({ type: z.literal("message"), text }),
  z.object({ type: z.literal("postback"), data: text, displayText: text.optional() }),
  z.object({ type: z.literal("switch"), menuId: z.number().int().min(0).max(2_147_483_647) }),
  z.object({ type: z.literal("handoff"), text: text.optional() }),
]);

const area = z.object({
  label: text,
  bounds: z.object({ x: coordinate, y: coordinate, width: coordinate, height: coordinate }),
  action,
  icon: z.enum(["cart", "bag", "star", "chat", "truck", "gift", "home", "user", "repeat", "tag", "none"]).optional(),
});

const colour = z.string().max(50, "forms.errors.tooBig").optional();
const style = z.object({
  background: colour,
  foreground: colour,
  accent: colour,
  palette: z.array(z.string().max(50)).max(MAX_AREAS).optional(),
});

const menuFields = {
  name: formText,
  chatBarText: formText,
  template: formText.refine((id) => id === "" || MENU_TEMPLATES.some((t) => t.id === id), "forms.errors.invalidChoice"),
  areas: formJson(z.array(area).max(MAX_AREAS, "richMenus.errors.tooManyAreas")),
  style: formJson(style),
};

export const MenuDesignerForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), ...menuFields }),
    z.object({ intent: z.literal("generate"), ...menuFields }),
    z.object({ intent: z.literal("publish"), ...menuFields }),
    z.object({ intent: z.literal("upload"), fix: formFlag }),
    z.object({ intent: z.literal("default") }),
  ],
  "forms.errors.invalid",
);
