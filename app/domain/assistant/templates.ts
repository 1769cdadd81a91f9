// Segment templates for common goals: each is a goal the planner understands (one per language)
// and a name. The UI offers them as one-click starts; a proposal whose definition equals a
// template's gets the template's name.
import type { SegmentDefinition } from "~/domain/segments/schema";
import type { AssistantLocale } from "./messages";
import { planGoal, type ShopCatalog } from "./planner";

export interface SegmentTemplate {
  id: "repeat" | "dormant" | "abandonedCart" | "onboarding" | "vip" | "neverPurchased";
  goal: Record<AssistantLocale, string>;
  name: Record<AssistantLocale, string>;
}

export const TEMPLATES: SegmentTemplate[] = [
  {
    id: "repeat",
    goal: { en: "repeat customers", ja: "リピーター", "zh-TW": "回購客", th: "ลูกค้าประจำ" },
    name: { en: "Repeat customers", ja: "リピーター", "zh-TW": "回購客", th: "ลูกค้าประจำ" },
  },
  {
    id: "dormant",
    goal: {
      en: "customers who haven't bought in 90 days",
      ja: "90日以上購入していない人",
      "zh-TW": "90天以上沒有購買的顧客",
      th: "ลูกค้าที่ไม่ได้ซื้อมา 90 วัน",
    },
    name: { en: "Dormant 90+ days", ja: "休眠顧客（90日以上）", "zh-TW": "沉睡顧客（90 天以上）", th: "ลูกค้าห่างหาย 90 วันขึ้นไป" },
  },
  {
    id: "abandonedCart",
    goal: { en: "abandoned cart", ja: "カゴ落ちした人", "zh-TW": "放棄購物車的顧客", th: "ลูกค้าที่มีตะกร้าค้าง" },
    name: { en: "Abandoned cart", ja: "カゴ落ち", "zh-TW": "放棄購物車", th: "ตะกร้าค้าง" },
  },
  {
    id: "onboarding",
    goal: {
      en: "became friends in the last 7 days",
      ja: "7日以内に友だち追加した人",
      "zh-TW": "7天內加入好友",
      th: "เพิ่มเพื่อนภายใน 7 วัน",
    },
    name: { en: "Onboarding (new friends, 7 days)", ja: "新規友だち（7日以内）", "zh-TW": "新好友（7 天內）", th: "เพื่อนใหม่ (7 วัน)" },
  },
  {
    id: "vip",
    goal: { en: "VIP customers", ja: "VIP顧客", "zh-TW": "VIP顧客", th: "ลูกค้า VIP" },
    name: { en: "VIP", ja: "VIP", "zh-TW": "VIP", th: "VIP" },
  },
  {
    id: "neverPurchased",
    goal: { en: "never purchased", ja: "一度も購入していない人", "zh-TW": "從未購買的好友", th: "เพื่อนที่ไม่เคยซื้อ" },
    name: { en: "Never purchased", ja: "未購入", "zh-TW": "從未購買", th: "ยังไม่เคยซื้อ" },
  },
];

/** The name of the template whose (default) definition equals `def`, if any. */
export function templateName(def: SegmentDefinition, locale: AssistantLocale, catalog: ShopCatalog, today: string): string | null {
  const want = JSON.stringify(def.groups);
  for (const t of TEMPLATES) {
    const plan = planGoal({ goal: t.goal.en, locale, today, catalog });
    if (JSON.stringify(plan.definition.groups) === want) return t.name[locale];
  }
  return null;
}
