// Which menu a friend should see now. Pure: the menu depends only on the rules, the friend's rule
// memberships (facts, segments, time) and — through dwell only — on when the current menu was set.
// The current menu never feeds back into memberships, so swapping menus cannot cause loops
// (docs/rich-menus.md, "Why loops cannot happen").
//
// Menu ids are our RichMenu ids. `null` means "no per-user link: the friend sees the channel
// default", which is also what a friend whose first matching rule points at the default menu gets.

export type RuleKind = "segment" | "linked" | "everyone" | "intent";

export interface ChooserRule {
  id: number;
  kind: RuleKind;
  richMenuId: number;
  dwellHours: number;
  urgent: boolean;
  enabled: boolean;
  /** For the "why" text, e.g. `segment “VIP”`. */
  label?: string;
}

export interface CurrentMenu {
  menuId: number | null;
  assignedAt: Date | null;
  ruleId: number | null;
}

export interface ChooseInput {
  /** In priority order (position ascending). */
  rules: ChooserRule[];
  /** ruleId → does the friend satisfy the rule's condition ('everyone' rules need no entry). */
  memberships: ReadonlyMap<number, boolean> | Record<number, boolean>;
  current: CurrentMenu;
  defaultMenuId: number | null;
  now: Date;
  menuName?: (menuId: number | null) => string;
}

export interface ChooseResult {
  /** The menu the friend should be on now (null = channel default). */
  menuId: number | null;
  /** The rule that put them there (null = default). */
  ruleId: number | null;
  /** What the rules alone want, ignoring dwell. */
  wantedMenuId: number | null;
  wantedRuleId: number | null;
  changed: boolean;
  /** When a held (dwell) change becomes due. */
  heldUntil: Date | null;
  reason: string;
}

const HOUR = 3_600_000;

function member(m: ChooseInput["memberships"], ruleId: number): boolean {
  return m instanceof Map ? m.get(ruleId) === true : (m as Record<number, boolean>)[ruleId] === true;
}

function ruleText(r: ChooserRule, index: number): string {
  return `rule ${index + 1}${r.label ? ` (${r.label})` : ""}`;
}

/** First enabled rule whose condition holds, or null. */
export function firstMatch(rules: ChooserRule[], memberships: ChooseInput["memberships"]): { rule: ChooserRule; index: number } | null {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (!r.enabled) continue;
    if (r.kind === "everyone" || member(memberships, r.id)) return { rule: r, index: i };
  }
  return null;
}

export function chooseMenu(input: ChooseInput): ChooseResult {
  const { rules, current, defaultMenuId, now } = input;
  const name = input.menuName ?? ((id: number | null) => (id === null ? "the default menu" : `menu ${id}`));
  const normal = (id: number | null) => (id !== null && id === defaultMenuId ? null : id);
  const hit = firstMatch(rules, input.memberships);
  const wantedMenuId = hit ? normal(hit.rule.richMenuId) : null;
  const wantedRuleId = hit ? hit.rule.id : null;
  const currentMenuId = normal(current.menuId);
  const why = hit ? `${ruleText(hit.rule, hit.index)} is the first rule that matches` : "no rule matches";
  const base = { wantedMenuId, wantedRuleId, heldUntil: null };

  if (wantedMenuId === currentMenuId) {
    return {
      ...base,
      menuId: wantedMenuId,
      ruleId: wantedRuleId,
      changed: false,
      reason: `${why} → ${name(wantedMenuId)} (already shown)`,
    };
  }
  const move = (extra: string): ChooseResult => ({
    ...base,
    menuId: wantedMenuId,
    ruleId: wantedRuleId,
    changed: true,
    reason: `${why} → ${name(wantedMenuId)}${extra}`,
  });
  if (hit?.rule.urgent) return move(" (urgent: shown at once)");
  if (!current.assignedAt) return move("");
  const curIndex = rules.findIndex((r) => r.id === current.ruleId);
  const curRule = curIndex >= 0 ? rules[curIndex] : undefined;
  // Dwell belongs to the rule that set the current menu. If that rule is gone, disabled or now points
  // elsewhere, the merchant changed the rules and the change applies at once.
  if (!curRule || !curRule.enabled || normal(curRule.richMenuId) !== currentMenuId) return move("");
  // An urgent menu (abandoned cart, delivered) is about a moment; once it has passed, leave at once.
  if (curRule.urgent) return move(` (${ruleText(curRule, curIndex)} was urgent and no longer applies)`);
  const heldUntil = new Date(current.assignedAt.getTime() + curRule.dwellHours * HOUR);
  if (now.getTime() < heldUntil.getTime()) {
    return {
      wantedMenuId,
      wantedRuleId,
      menuId: currentMenuId,
      ruleId: current.ruleId,
      changed: false,
      heldUntil,
      reason: `${why} → ${name(wantedMenuId)}, but ${name(currentMenuId)} stays until ${heldUntil.toISOString()} (${ruleText(curRule, curIndex)} dwell ${curRule.dwellHours} h)`,
    };
  }
  return move("");
}
