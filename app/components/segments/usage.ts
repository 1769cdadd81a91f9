// Who uses a segment, in the merchant's language: "Broadcast: Winter sale", "Menu rule 2",
// "Tag rule: Enters segment". Shared by the Segments list and the editor's "in use" message.
import type { TFunction } from "i18next";
import { TAG_RULE_TRIGGERS } from "~/domain/tags/tags";

export interface SegmentUsage {
  kind: "broadcast" | "automation" | "menuRule" | "tagRule";
  name: string;
  ref?: number;
  trigger?: string;
}

const AUTOMATIONS = ["abandoned_cart", "lifecycle"] as const;

export function usageLabel(t: TFunction<"admin">, u: SegmentUsage): string {
  const kind = t(`segments.list.usageKind.${u.kind}`);
  switch (u.kind) {
    case "broadcast":
      return t("segments.list.usage", { kind, name: u.name });
    case "automation":
      return (AUTOMATIONS as readonly string[]).includes(u.name)
        ? t("segments.list.usage", { kind, name: t(`automations.entries.${u.name as (typeof AUTOMATIONS)[number]}.title`) })
        : kind;
    case "menuRule":
      return t("segments.list.usageMenuRule", { n: u.ref });
    case "tagRule":
      return (TAG_RULE_TRIGGERS as readonly string[]).includes(u.trigger ?? "")
        ? t("segments.list.usage", { kind, name: t(`tags.trigger.${u.trigger as (typeof TAG_RULE_TRIGGERS)[number]}`) })
        : kind;
  }
}
