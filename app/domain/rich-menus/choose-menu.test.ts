import { describe, expect, it } from "vitest";
import { chooseMenu, type ChooserRule, type CurrentMenu } from "./choose-menu";

const H = 3_600_000;
const now = new Date("2026-03-01T12:00:00Z");
const ago = (h: number) => new Date(now.getTime() - h * H);

const vip: ChooserRule = { id: 1, kind: "segment", richMenuId: 10, dwellHours: 24, urgent: false, enabled: true, label: "VIP" };
const cart: ChooserRule = { id: 2, kind: "intent", richMenuId: 20, dwellHours: 24, urgent: true, enabled: true, label: "cart" };
const linked: ChooserRule = { id: 3, kind: "linked", richMenuId: 30, dwellHours: 24, urgent: false, enabled: true };
const everyone: ChooserRule = { id: 4, kind: "everyone", richMenuId: 40, dwellHours: 24, urgent: false, enabled: true };
const DEFAULT = 99;

type Row = {
  name: string;
  rules: ChooserRule[];
  m: Record<number, boolean>;
  current: CurrentMenu;
  expect: { menuId: number | null; ruleId: number | null; changed: boolean; held?: boolean; reason?: RegExp };
};

const fresh: CurrentMenu = { menuId: null, assignedAt: null, ruleId: null };

const table: Row[] = [
  {
    name: "first match wins",
    rules: [cart, vip, linked],
    m: { 1: true, 3: true },
    current: fresh,
    expect: { menuId: 10, ruleId: 1, changed: true, reason: /rule 2 \(VIP\) is the first rule/ },
  },
  {
    name: "order matters",
    rules: [linked, vip],
    m: { 1: true, 3: true },
    current: fresh,
    expect: { menuId: 30, ruleId: 3, changed: true },
  },
  {
    name: "no rule → default (null)",
    rules: [vip],
    m: {},
    current: fresh,
    expect: { menuId: null, ruleId: null, changed: false, reason: /no rule matches/ },
  },
  { name: "everyone catches the rest", rules: [vip, everyone], m: {}, current: fresh, expect: { menuId: 40, ruleId: 4, changed: true } },
  {
    name: "disabled rule is skipped",
    rules: [{ ...vip, enabled: false }, linked],
    m: { 1: true, 3: true },
    current: fresh,
    expect: { menuId: 30, ruleId: 3, changed: true },
  },
  {
    name: "rule pointing at the default menu = default",
    rules: [{ ...vip, richMenuId: DEFAULT }],
    m: { 1: true },
    current: fresh,
    expect: { menuId: null, ruleId: 1, changed: false },
  },
  {
    name: "unchanged → nothing to do",
    rules: [vip],
    m: { 1: true },
    current: { menuId: 10, assignedAt: ago(1), ruleId: 1 },
    expect: { menuId: 10, ruleId: 1, changed: false, reason: /already shown/ },
  },
  {
    name: "dwell holds a non-urgent change",
    rules: [vip, linked],
    m: { 3: true },
    current: { menuId: 10, assignedAt: ago(5), ruleId: 1 },
    expect: { menuId: 10, ruleId: 1, changed: false, held: true, reason: /stays until 2026-03-02T07:00:00.000Z/ },
  },
  {
    name: "dwell elapsed → change",
    rules: [vip, linked],
    m: { 3: true },
    current: { menuId: 10, assignedAt: ago(24), ruleId: 1 },
    expect: { menuId: 30, ruleId: 3, changed: true },
  },
  {
    name: "per-rule dwell override",
    rules: [{ ...vip, dwellHours: 2 }, linked],
    m: { 3: true },
    current: { menuId: 10, assignedAt: ago(3), ruleId: 1 },
    expect: { menuId: 30, ruleId: 3, changed: true },
  },
  {
    name: "dwell also holds back to default",
    rules: [vip],
    m: {},
    current: { menuId: 10, assignedAt: ago(1), ruleId: 1 },
    expect: { menuId: 10, ruleId: 1, changed: false, held: true },
  },
  {
    name: "urgent rule bypasses dwell",
    rules: [cart, vip],
    m: { 1: true, 2: true },
    current: { menuId: 10, assignedAt: ago(1), ruleId: 1 },
    expect: { menuId: 20, ruleId: 2, changed: true, reason: /urgent/ },
  },
  {
    name: "leaving an urgent rule is immediate",
    rules: [cart, vip],
    m: { 1: true },
    current: { menuId: 20, assignedAt: ago(1), ruleId: 2 },
    expect: { menuId: 10, ruleId: 1, changed: true, reason: /was urgent/ },
  },
  {
    name: "current rule deleted → rule change applies at once",
    rules: [linked],
    m: { 3: true },
    current: { menuId: 10, assignedAt: ago(1), ruleId: 1 },
    expect: { menuId: 30, ruleId: 3, changed: true },
  },
  {
    name: "current rule now points elsewhere → applies at once",
    rules: [{ ...vip, richMenuId: 11 }],
    m: { 1: true },
    current: { menuId: 10, assignedAt: ago(1), ruleId: 1 },
    expect: { menuId: 11, ruleId: 1, changed: true },
  },
  {
    name: "current menu id equal to default counts as default",
    rules: [vip],
    m: {},
    current: { menuId: DEFAULT, assignedAt: ago(1), ruleId: null },
    expect: { menuId: null, ruleId: null, changed: false },
  },
];

describe("chooseMenu", () => {
  it.each(table.map((r) => [r.name, r] as const))("%s", (_n, row) => {
    const r = chooseMenu({ rules: row.rules, memberships: row.m, current: row.current, defaultMenuId: DEFAULT, now });
    expect({ menuId: r.menuId, ruleId: r.ruleId, changed: r.changed }).toEqual({
      menuId: row.expect.menuId,
      ruleId: row.expect.ruleId,
      changed: row.expect.changed,
    });
    if (row.expect.held !== undefined) expect(r.heldUntil !== null).toBe(row.expect.held);
    if (row.expect.reason) expect(r.reason).toMatch(row.expect.reason);
  });

  it("accepts a Map of memberships and is a pure function of its inputs", () => {
    const input = { rules: [vip, linked], memberships: new Map([[3, true]]), current: fresh, defaultMenuId: DEFAULT, now };
    expect(chooseMenu(input)).toEqual(chooseMenu(input));
    expect(chooseMenu(input).menuId).toBe(30);
  });

  it("the wanted menu never depends on the current menu (no feedback)", () => {
    for (const current of [fresh, { menuId: 10, assignedAt: ago(1), ruleId: 1 }, { menuId: 20, assignedAt: ago(100), ruleId: 2 }]) {
      const r = chooseMenu({ rules: [cart, vip, linked], memberships: { 3: true }, current, defaultMenuId: DEFAULT, now });
      expect([r.wantedMenuId, r.wantedRuleId]).toEqual([30, 3]);
    }
  });
});
