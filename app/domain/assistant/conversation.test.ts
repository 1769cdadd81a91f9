// Conversation turns: Consult asks one question then proposes with the answer; Auto proposes with
// stated defaults; refinements edit the current proposal.
import { describe, expect, it } from "vitest";
import { assistantTurn, NEW_CONVERSATION, readAnswer, type AssistantMode, type ConversationState, type TurnResult } from "./conversation";
import type { AssistantLocale } from "./messages";
import { CATALOG } from "./planner.test";

const turn = (text: string, state: ConversationState = NEW_CONVERSATION, mode: AssistantMode = "auto", locale: AssistantLocale = "en") =>
  assistantTurn({ text, mode, locale, today: "2026-12-01", catalog: CATALOG, state });
const conditions = (r: TurnResult) => (r.status === "proposal" ? r.proposal.definition.groups.map((g) => g.conditions) : null);

describe("assistantTurn", () => {
  it("Consult asks one question for a vague goal, then proposes with the answer", () => {
    const q = turn("repeat customers", NEW_CONVERSATION, "consult");
    expect(q).toMatchObject({ status: "question", options: [2, 3] });
    expect(q.status === "question" && q.question).toBe("By “repeat customers”, do you mean 2+ or 3+ purchases?");
    const p = turn("3 or more", q.state, "consult");
    expect(conditions(p)).toEqual([[{ field: "purchaseCount", op: "gte", value: 3 }]]);
    expect(p.status === "proposal" && p.proposal.assumptions).toEqual([]);
  });

  it.each([
    ["ja", "リピーター", "「リピーター」は購入回数2回以上と3回以上のどちらですか？", "3回以上", 3],
    ["zh-TW", "最近沒有購買的顧客", "「最近沒有購買」是指多久沒有購買：30 天、60 天、90 天？", "九十天", 90],
    ["th", "ลูกค้าที่ไม่ได้ซื้อช่วงนี้", "“ไม่ได้ซื้อช่วงนี้” หมายถึงไม่ได้ซื้อมานานเท่าไร: 30 วัน, 60 วัน หรือ 90 วัน?", "สามสิบวัน", 30],
  ] as const)("asks in %s and reads the answer", (locale, goal, question, answer, value) => {
    const q = turn(goal, NEW_CONVERSATION, "consult", locale);
    expect(q.status === "question" && q.question).toBe(question);
    const p = turn(answer, q.state, "consult", locale);
    expect(JSON.stringify(conditions(p))).toContain(`"value":${value}`);
  });

  it("Consult proposes at once when the goal is clear; Auto never asks and states its default", () => {
    expect(turn("bought 3+ times", NEW_CONVERSATION, "consult").status).toBe("proposal");
    const auto = turn("repeat customers");
    expect(conditions(auto)).toEqual([[{ field: "purchaseCount", op: "gte", value: 2 }]]);
    expect(auto.status === "proposal" && auto.proposal.assumptions).toEqual(["“repeat customers” taken as 2 or more purchases"]);
    expect(auto.status === "proposal" && auto.proposal.name).toBe("Repeat customers");
  });

  it("refines the current proposal: adds a condition, replaces a number, or adds an alternative", () => {
    const base = turn("repeat customers");
    const vip = turn("only VIPs", base.state);
    expect(conditions(vip)).toEqual([
      [
        { field: "purchaseCount", op: "gte", value: 2 },
        { field: "tag", op: "has", value: "VIP" },
      ],
      [
        { field: "purchaseCount", op: "gte", value: 2 },
        { field: "shopifyTag", op: "hasAny", value: ["VIP"] },
      ],
    ]);
    const dormant = turn("dormant customers");
    expect(conditions(turn("make it 120 days", dormant.state))).toEqual([[{ field: "daysSinceLastPurchase", op: "gte", value: 120 }]]);
    expect(conditions(turn("but at least 3 purchases", base.state))).toEqual([[{ field: "purchaseCount", op: "gte", value: 3 }]]);
    expect(conditions(turn("or abandoned a cart", base.state))).toEqual([
      [{ field: "purchaseCount", op: "gte", value: 2 }],
      [{ field: "abandonedCart", op: "is", value: true }],
    ]);
    expect(conditions(turn("VIPだけ", turn("リピーター", NEW_CONVERSATION, "auto", "ja").state, "auto", "ja"))).toHaveLength(2);
  });

  it("a new goal after a proposal starts over", () => {
    const base = turn("repeat customers");
    expect(conditions(turn("abandoned cart", base.state))).toEqual([[{ field: "abandonedCart", op: "is", value: true }]]);
  });

  it("says what it understands when it understands nothing", () => {
    const r = turn("hello");
    expect(r.status).toBe("question");
    expect(r.status === "question" && r.options).toEqual([]);
  });
});

describe("readAnswer", () => {
  const pending = { key: "lapsed" as const, options: [30, 60, 90], default: 60 };
  it.each([
    ["90", 90],
    ["3 months", 90],
    ["the first one", 30],
    ["second", 60],
    ["yes", 60],
    ["45日", 45],
    ["whatever", null],
  ])("%s → %s", (answer, want) => expect(readAnswer(answer, pending)).toBe(want));
});
