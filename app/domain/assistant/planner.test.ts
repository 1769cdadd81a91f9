// The planner's test set: goals in English, Japanese, Traditional Chinese and Thai and the
// definition each must become (Auto mode defaults: repeat = 2+, "recently" without a purchase = 60
// days, dormant = 90 days, new friends = 7 days). Every definition also passes the editor's validator.
import { describe, expect, it } from "vitest";
import type { Condition } from "~/domain/segments/schema";
import { parseDefinition } from "~/domain/segments/schema";
import { planGoal, type ShopCatalog } from "./planner";
import { normalizeGoal } from "./numbers";
import { findQuantities } from "./quantities";

export const CATALOG: ShopCatalog = {
  tags: ["VIP", "Gold", "coupon-user"],
  shopifyTags: ["wholesale", "VIP"],
  products: [
    { id: "101", title: "Organic Green Tea" },
    { id: "102", title: "Green Tea Latte" },
    { id: "103", title: "抹茶ラテ" },
    { id: "104", title: "ชาไทย" },
  ],
  linkTags: ["summer-sale"],
  menuAreas: ["coupon"],
  currency: "JPY",
};
const TODAY = "2026-12-01";

const GOALS: Array<[locale: "en" | "ja" | "zh-TW" | "th", goal: string, groups: Condition[][]]> = [
  ["en", "a comeback campaign for friends who haven't bought recently", [[{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["en", "onboarding for people who just became friends", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["en", "a limited coupon only for repeat customers", [[{"field":"purchaseCount","op":"gte","value":2}]]],
  ["en", "customers who bought 3 or more times", [[{"field":"purchaseCount","op":"gte","value":3}]]],
  ["en", "friends who spent over 10,000 yen", [[{"field":"amountSpent","op":"gt","value":10000}]]],
  ["en", "never purchased", [[{"field":"hasPurchased","op":"is","value":false}]]],
  ["en", "dormant customers", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["en", "abandoned cart in the last 24 hours", [[{"field":"abandonedCart","op":"is","value":true,"maxHours":24}]]],
  ["en", "tagged VIP or Gold", [[{"field":"tag","op":"hasAny","value":["VIP","Gold"]}],[{"field":"shopifyTag","op":"hasAny","value":["VIP"]}]]],
  ["en", "friends who bought Organic Green Tea in the last 30 days", [[{"field":"productPurchased","op":"hasAny","value":["101"],"withinDays":30}]]],
  ["en", "haven't purchased in three months", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["en", "clicked a link at least twice in the last week", [[{"field":"linkClicked","op":"gte","value":2,"withinDays":7}]]],
  ["en", "friends who tapped coupon", [[{"field":"richMenuTapped","op":"gte","value":1,"area":"coupon"}]]],
  ["en", "opted in to marketing and linked", [[{"field":"marketingConsent","op":"is","value":true},{"field":"shopifyLinked","op":"is","value":true}]]],
  ["en", "bought green tea", [[{"field":"productPurchased","op":"hasAny","value":["101","102"]}]]],
  ["en", "clicked summer-sale links", [[{"field":"linkClicked","op":"gte","value":1,"linkTag":"summer-sale"}]]],
  ["en", "friends who never bought organic green tea", [[{"field":"productPurchased","op":"hasNone","value":["101"]}],[{"field":"hasPurchased","op":"is","value":false}]]],
  ["en", "big spenders", [[{"field":"tag","op":"has","value":"VIP"}],[{"field":"shopifyTag","op":"hasAny","value":["VIP"]}]]],
  ["en", "recently became friends", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["en", "added us more than 30 days ago", [[{"field":"friendAddedAt","op":"before","value":"2026-11-02"}]]],
  ["en", "friends added since 2026-10-01", [[{"field":"friendAddedAt","op":"after","value":"2026-09-30"}]]],
  ["en", "abandoned their cart more than 2 hours ago", [[{"field":"abandonedCart","op":"is","value":true,"minHours":2}]]],
  ["en", "friends who didn't click anything in the last 30 days", [[{"field":"linkClicked","op":"eq","value":0,"withinDays":30}]]],
  ["en", "customers who bought between 2 and 4 times", [[{"field":"purchaseCount","op":"between","value":[2,4]}]]],
  ["en", "not tagged VIP", [[{"field":"tag","op":"hasNot","value":"VIP"},{"field":"shopifyTag","op":"hasNone","value":["VIP"]}]]],
  ["en", "everyone", []],
  ["en", "friends who have not yet purchased", [[{"field":"hasPurchased","op":"is","value":false}]]],
  ["en", "customers who spent at least ¥5000 and bought in the last 30 days", [[{"field":"amountSpent","op":"gte","value":5000},{"field":"daysSinceLastPurchase","op":"lt","value":30}]]],
  ["en", "people who bought 2+ times or spent more than 20000 yen", [[{"field":"purchaseCount","op":"gte","value":2}],[{"field":"amountSpent","op":"gt","value":20000}]]],
  ["en", "repeat customers who abandoned a cart", [[{"field":"purchaseCount","op":"gte","value":2},{"field":"abandonedCart","op":"is","value":true}]]],
  ["en", "customers with no purchases in the last 6 months", [[{"field":"daysSinceLastPurchase","op":"gte","value":180}]]],
  ["en", "last purchase more than 60 days ago", [[{"field":"daysSinceLastPurchase","op":"gt","value":60}]]],
  ["en", "linked friends who never purchased", [[{"field":"shopifyLinked","op":"is","value":true},{"field":"hasPurchased","op":"is","value":false}]]],
  ["en", "unsubscribed", [[{"field":"marketingConsent","op":"is","value":false}]]],
  ["en", "bought in the past 2 weeks", [[{"field":"daysSinceLastPurchase","op":"lt","value":14}]]],
  ["en", "people who added to cart but didn't buy within 48 hours", [[{"field":"abandonedCart","op":"is","value":true,"maxHours":48}]]],
  ["en", "customers who haven't purchased for over 120 days", [[{"field":"daysSinceLastPurchase","op":"gt","value":120}]]],
  ["en", "inactive for 180 days", [[{"field":"daysSinceLastPurchase","op":"gte","value":180}]]],
  ["en", "friends who tapped the rich menu 3 times in the last 14 days", [[{"field":"richMenuTapped","op":"gte","value":3,"withinDays":14}]]],
  ["en", "first-time buyers", [[{"field":"purchaseCount","op":"eq","value":1}]]],
  ["en", "Shopify tag wholesale", [[{"field":"shopifyTag","op":"hasAny","value":["wholesale"]}]]],
  ["en", "blocked", [[{"field":"following","op":"is","value":false}]]],
  ["ja", "リピーター", [[{"field":"purchaseCount","op":"gte","value":2}]]],
  ["ja", "3回以上購入した人", [[{"field":"purchaseCount","op":"gte","value":3}]]],
  ["ja", "一度も購入していない友だち", [[{"field":"hasPurchased","op":"is","value":false}]]],
  ["ja", "最近購入していないお客様", [[{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["ja", "過去30日以内に購入した人", [[{"field":"daysSinceLastPurchase","op":"lt","value":30}]]],
  ["ja", "累計購入金額が1万円以上", [[{"field":"amountSpent","op":"gte","value":10000}]]],
  ["ja", "VIPタグが付いた人", [[{"field":"tag","op":"has","value":"VIP"}],[{"field":"shopifyTag","op":"hasAny","value":["VIP"]}]]],
  ["ja", "7日以内に友だち追加した人", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["ja", "24時間以内にカゴ落ちした人", [[{"field":"abandonedCart","op":"is","value":true,"maxHours":24}]]],
  ["ja", "抹茶ラテを購入した人", [[{"field":"productPurchased","op":"hasAny","value":["103"]}]]],
  ["ja", "リンクをクリックした人", [[{"field":"linkClicked","op":"gte","value":1}]]],
  ["ja", "配信停止した人", [[{"field":"marketingConsent","op":"is","value":false}]]],
  ["ja", "休眠顧客", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["ja", "二回以上購入かつ60日以上購入していない人", [[{"field":"purchaseCount","op":"gte","value":2},{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["ja", "Shopifyと連携済みで未購入の友だち", [[{"field":"shopifyLinked","op":"is","value":true},{"field":"hasPurchased","op":"is","value":false}]]],
  ["ja", "三ヶ月以上購入していない", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["zh-TW", "回購客", [[{"field":"purchaseCount","op":"gte","value":2}]]],
  ["zh-TW", "購買3次以上的顧客", [[{"field":"purchaseCount","op":"gte","value":3}]]],
  ["zh-TW", "90天沒有購買的好友", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["zh-TW", "最近沒有購買的顧客", [[{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["zh-TW", "消費超過5000元", [[{"field":"amountSpent","op":"gt","value":5000}]]],
  ["zh-TW", "7天內加入好友的人", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["zh-TW", "放棄購物車的顧客", [[{"field":"abandonedCart","op":"is","value":true}]]],
  ["zh-TW", "有VIP標籤的好友", [[{"field":"tag","op":"has","value":"VIP"}],[{"field":"shopifyTag","op":"hasAny","value":["VIP"]}]]],
  ["zh-TW", "從未購買過", [[{"field":"hasPurchased","op":"is","value":false}]]],
  ["zh-TW", "點擊過連結的好友", [[{"field":"linkClicked","op":"gte","value":1}]]],
  ["zh-TW", "購買兩次以上或消費超過一萬元", [[{"field":"purchaseCount","op":"gte","value":2}],[{"field":"amountSpent","op":"gt","value":10000}]]],
  ["zh-TW", "三十天內買過抹茶ラテ", [[{"field":"productPurchased","op":"hasAny","value":["103"],"withinDays":30}]]],
  ["zh-TW", "已綁定但從未購買", [[{"field":"shopifyLinked","op":"is","value":true},{"field":"hasPurchased","op":"is","value":false}]]],
  ["zh-TW", "封鎖的好友", [[{"field":"following","op":"is","value":false}]]],
  ["th", "ลูกค้าประจำ", [[{"field":"purchaseCount","op":"gte","value":2}]]],
  ["th", "ซื้ออย่างน้อยสามครั้ง", [[{"field":"purchaseCount","op":"gte","value":3}]]],
  ["th", "เพื่อนที่ไม่เคยซื้อ", [[{"field":"hasPurchased","op":"is","value":false}]]],
  ["th", "ไม่ได้ซื้อมา 60 วัน", [[{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["th", "ลูกค้าที่ห่างหาย", [[{"field":"daysSinceLastPurchase","op":"gte","value":90}]]],
  ["th", "ยอดซื้อสะสมมากกว่า 3000 บาท", [[{"field":"amountSpent","op":"gt","value":3000}]]],
  ["th", "เพิ่มเพื่อนภายใน 7 วัน", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["th", "มีตะกร้าค้าง", [[{"field":"abandonedCart","op":"is","value":true}]]],
  ["th", "ลูกค้าที่ซื้อชาไทย", [[{"field":"productPurchased","op":"hasAny","value":["104"]}]]],
  ["th", "เพื่อนที่มีแท็ก VIP", [[{"field":"tag","op":"has","value":"VIP"}],[{"field":"shopifyTag","op":"hasAny","value":["VIP"]}]]],
  ["th", "คลิกลิงก์ในช่วง 30 วันที่ผ่านมา", [[{"field":"linkClicked","op":"gte","value":1,"withinDays":30}]]],
  ["th", "เพิ่งเป็นเพื่อนกัน", [[{"field":"friendAddedAt","op":"withinLastDays","value":7}]]],
  ["th", "ซื้อภายใน 30 วันที่ผ่านมา", [[{"field":"daysSinceLastPurchase","op":"lt","value":30}]]],
  ["th", "ลูกค้าที่ไม่ได้ซื้อช่วงนี้", [[{"field":"daysSinceLastPurchase","op":"gte","value":60}]]],
  ["th", "ซื้อสองครั้งขึ้นไปหรือยอดซื้อเกินหนึ่งหมื่นบาท", [[{"field":"purchaseCount","op":"gte","value":2}],[{"field":"amountSpent","op":"gt","value":10000}]]],
];

describe("planGoal: goal → definition", () => {
  it("has a test set of at least 60 goals in every language", () => {
    expect(GOALS.length).toBeGreaterThanOrEqual(60);
    for (const l of ["en", "ja", "zh-TW", "th"]) expect(GOALS.filter((g) => g[0] === l).length).toBeGreaterThanOrEqual(12);
  });
  it.each(GOALS)("[%s] %s", (locale, goal, groups) => {
    const plan = planGoal({ goal, locale, today: TODAY, catalog: CATALOG });
    expect(plan.understood).toBe(true);
    expect(plan.definition.groups.map((g) => g.conditions)).toEqual(groups);
    expect(parseDefinition(plan.definition).ok).toBe(true);
  });

  it("records the ambiguity and its default for vague goals", () => {
    const cases: Array<[string, string, number]> = [
      ["repeat customers", "repeat", 2],
      ["friends who haven't bought recently", "lapsed", 60],
      ["recent buyers", "recentBuyer", 30],
      ["recently became friends", "newFriend", 7],
      ["リピーター", "repeat", 2],
      ["最近沒有購買的顧客", "lapsed", 60],
      ["ลูกค้าที่ไม่ได้ซื้อช่วงนี้", "lapsed", 60],
    ];
    for (const [goal, key, def] of cases) {
      const plan = planGoal({ goal, locale: "en", today: TODAY, catalog: CATALOG });
      expect(plan.ambiguities.map((a) => [a.key, a.default])).toEqual([[key, def]]);
      expect(plan.assumptions).toHaveLength(1);
    }
  });

  it("uses a choice instead of the default and states no assumption", () => {
    const plan = planGoal({ goal: "repeat customers", locale: "en", today: TODAY, catalog: CATALOG, choices: { repeat: 3 } });
    expect(plan.definition.groups[0]!.conditions).toEqual([{ field: "purchaseCount", op: "gte", value: 3 }]);
    expect(plan.assumptions).toEqual([]);
  });

  it("VIP without a VIP tag asks for a spend threshold in the shop's currency", () => {
    const plan = planGoal({ goal: "VIP customers", locale: "en", today: TODAY, catalog: { ...CATALOG, tags: [], shopifyTags: [], currency: "THB" } });
    expect(plan.definition.groups[0]!.conditions).toEqual([{ field: "amountSpent", op: "gte", value: 10000 }]);
    expect(plan.ambiguities[0]!.options).toEqual([5000, 10000, 20000]);
  });

  it("does not understand goals without any known concept", () => {
    expect(planGoal({ goal: "hello there", locale: "en", today: TODAY, catalog: CATALOG }).understood).toBe(false);
    expect(planGoal({ goal: "こんにちは", locale: "ja", today: TODAY, catalog: CATALOG }).understood).toBe(false);
  });

  it("a tag the shop does not have is used by name with a warning", () => {
    const plan = planGoal({ goal: 'friends tagged "newsletter"', locale: "en", today: TODAY, catalog: CATALOG });
    expect(plan.definition.groups[0]!.conditions).toEqual([{ field: "tag", op: "has", value: "newsletter" }]);
    expect(plan.warnings).toHaveLength(1);
  });

  it("explains what each part of the goal became, in the merchant's language", () => {
    const plan = planGoal({ goal: "3回以上購入かつ60日以上購入していない人", locale: "ja", today: TODAY, catalog: CATALOG });
    expect(plan.parts.map((p) => p.conditions)).toEqual([["購入回数が3回以上の"], ["最終購入から60日以上経過した"]]);
  });
});

describe("normalizeGoal: numbers in words", () => {
  it.each([
    ["three times", "3 times"],
    ["twenty-one days", "21 days"],
    ["a hundred and fifty yen", "150 yen"],
    ["twice", "2 times"],
    ["a week", "1 week"],
    ["三回", "3回"],
    ["二十日", "20日"],
    ["三十天", "30天"],
    ["1万円", "10000円"],
    ["兩次", "2次"],
    ["一緒に", "一緒に"],
    ["สามเดือน", " 3 เดือน"],
    ["ยี่สิบเอ็ดวัน", " 21 วัน"],
    ["สามารถ", "สามารถ"],
    ["๓๐ วัน", "30 วัน"],
    ["１０,０００円", "10000円"],
  ])("%s → %s", (input, out) => expect(normalizeGoal(input)).toBe(out));
});

describe("findQuantities", () => {
  it.each([
    ["at least 3 times", { kind: "count", value: 3, op: "gte" }],
    ["3+ orders", { kind: "count", value: 3, op: "gte" }],
    ["90日以上", { kind: "duration", value: 90, op: "gte", unit: "days" }],
    ["超過5000元", { kind: "money", value: 5000, op: "gt" }],
    ["ภายใน 7 วัน", { kind: "duration", value: 7, within: true }],
    ["in the last 2 weeks", { kind: "duration", value: 14, within: true }],
    ["more than 2 hours ago", { kind: "duration", value: 2, unit: "hours", op: "gt", ago: true }],
    ["3 months", { kind: "duration", value: 90 }],
    ["2~4 times", { kind: "count", value: [2, 4], op: "between" }],
  ])("%s", (text, want) => expect(findQuantities(normalizeGoal(text), TODAY)[0]).toMatchObject(want));

  it("reads dates with their qualifier", () => {
    expect(findQuantities("since 2026-10-01", TODAY)[0]).toMatchObject({ kind: "date", date: "2026-10-01", dateOp: "since" });
    expect(findQuantities("2026年1月5日より前", TODAY)[0]).toMatchObject({ kind: "date", date: "2026-01-05", dateOp: "before" });
    expect(findQuantities("3月1日以降", TODAY)[0]).toMatchObject({ kind: "date", date: "2026-03-01", dateOp: "since" });
  });
});
