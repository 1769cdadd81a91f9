// Rich menu texts in the merchant's language: validation issues, refusals, statuses, templates and
// what a tap area does. The domain and services return codes (MenuIssue.code, MenuError.code, image
// problem codes); this is the one place that turns them into words (`richMenus.*` in app/locales).
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { MenuIssueCode } from "~/domain/rich-menus/validate-menu";
import type { MenuTemplate } from "~/domain/rich-menus/templates";
import type { MenuAction, ShopTarget } from "~/domain/rich-menus/types";
import type { RuleCondition } from "~/domain/rich-menus/intents";
import type { WhichMenuWhy } from "~/domain/rich-menus/which-menu";

/** A problem as the server or the browser-side check reports it: a code and its values. */
export interface IssueText {
  code: MenuIssueCode;
  params?: Record<string, string | number>;
}

const STATUSES = ["draft", "published", "archived"] as const;
const IMAGE_PROBLEMS = ["type", "unreadable", "bytes", "width", "height", "ratio", "noFile"] as const;

export function useMenuText() {
  const { t } = useTranslation();
  const target = (kind: ShopTarget["kind"]) => t(`richMenus.target.${kind}`);
  return {
    t,
    issue: (i: IssueText) => t(`richMenus.issues.${i.code}`, i.params ?? {}),
    imageProblem: (code: string) =>
      (IMAGE_PROBLEMS as readonly string[]).includes(code)
        ? t(`richMenus.imageProblems.${code as (typeof IMAGE_PROBLEMS)[number]}`)
        : t("richMenus.imageProblems.unreadable"),
    error: (e: { code: string; params?: Record<string, string | number> }) =>
      t(`richMenus.errors.${e.code}` as "richMenus.errors.invalid", { ...e.params, defaultValue: t("richMenus.errors.invalid") }),
    status: (s: string) => ((STATUSES as readonly string[]).includes(s) ? t(`richMenus.status.${s as (typeof STATUSES)[number]}`) : s),
    template: (tpl: MenuTemplate) => t(`richMenus.templates.${tpl.id}` as "richMenus.templates.large-6", { defaultValue: tpl.label }),
    target,
    actionLabel: (type: MenuAction["type"]) => t(`richMenus.action.${type}`),
    /** What tapping the area does, e.g. "Opens the friend's cart" / "「Hello」を送信". */
    describeAction: (a: MenuAction, menuNames: Record<number, string> = {}) => {
      switch (a.type) {
        case "link":
          if (a.target.kind === "url") return t("richMenus.describe.url", { url: a.target.url });
          if (a.target.kind === "product" || a.target.kind === "collection")
            return t("richMenus.describe.handle", { kind: target(a.target.kind), handle: a.target.handle });
          return t("richMenus.describe.target", { target: target(a.target.kind) });
        case "message":
          return t("richMenus.describe.message", { text: a.text });
        case "postback":
          return t("richMenus.describe.postback", { data: a.data });
        case "switch":
          return t("richMenus.describe.switch", { menu: menuNames[a.menuId] ?? t("richMenus.describe.menuN", { id: a.menuId }) });
        case "handoff":
          return t("richMenus.describe.handoff");
      }
    },
  };
}

/** What a menu rule matches, in the admin language ("segment “VIP”", "cart abandoned ≥ 24 h"). */
export function ruleConditionText(t: TFunction<"admin">, c: RuleCondition): string {
  switch (c.kind) {
    case "segment":
      return c.segmentName !== null
        ? t("richMenus.ruleCondition.segment", { name: c.segmentName })
        : t("richMenus.ruleCondition.segmentGone", { id: c.segmentId ?? "—" });
    case "linked":
      return t("richMenus.ruleCondition.linked");
    case "everyone":
      return t("richMenus.ruleCondition.everyone");
    case "intent": {
      const i = c.intent;
      if (!i) return t("richMenus.ruleCondition.intent");
      switch (i.type) {
        case "abandonedCart":
          return t("richMenus.ruleCondition.abandonedCart", { hours: i.minHours });
        case "orderDelivered":
          return t("richMenus.ruleCondition.orderDelivered", { count: i.withinDays });
        case "reorderDue":
          return t("richMenus.ruleCondition.reorderDue");
        case "birthdayMonth":
          return t("richMenus.ruleCondition.birthdayMonth");
        case "tier":
          return t("richMenus.ruleCondition.tier", { tag: i.tag });
      }
    }
  }
}

/**
 * Why a friend sees their menu, in the merchant's language: the first matching rule, the default,
 * or the dwell time keeping the current menu (until a time in the shop's time zone). The service's
 * `reason` is English for logs; this is what a merchant reads.
 */
export function whichMenuReason(t: TFunction<"admin">, formatDateTime: (d: string) => string, w: WhichMenuWhy): string {
  if (w.heldUntil && w.wantedMenuName !== w.menuName)
    return t("richMenus.why.held", {
      n: w.wantedRulePosition ?? 0,
      wanted: w.wantedMenuName ?? "—",
      until: formatDateTime(w.heldUntil),
    });
  if (w.wantedRulePosition) return t("richMenus.why.rule", { n: w.wantedRulePosition });
  return t("richMenus.why.default");
}
