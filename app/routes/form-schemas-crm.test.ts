// Form schemas of the tags, friends, segments, menu rules and menu designer pages: what each accepts,
// what it refuses and with which message key, and that every key exists in all four admin languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formFile, parseForm } from "~/domain/forms/parse";
import { TagsForm } from "./app.tags.schema";
import { FriendPageForm, FriendsForm, NeedsReplyForm } from "./app.friends.schema";
import { SegmentEditorForm, SegmentsListForm } from "./app.segments.schema";
import { MenuRulesForm } from "./app.menu-rules.schema";
import { MenuDesignerForm } from "./app.rich-menus.$id.schema";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const used = new Set<string>();
/** The refusal's errors, remembering each key for the translation check below. */
function refused(r: { ok: true } | { ok: false; errors: Record<string, string> }) {
  if (r.ok) throw new Error("expected the form to be refused");
  for (const k of Object.values(r.errors)) used.add(k);
  return r.errors;
}

describe("Tags", () => {
  it("creates with a trimmed name, kind 'other' when none is chosen", () => {
    expect(parseForm(TagsForm, form({ intent: "create", name: "  VIP  " }))).toEqual({
      ok: true,
      data: { intent: "create", name: "VIP", kind: "other" },
    });
  });
  it("refuses empty, long and control-character names and unknown kinds", () => {
    expect(refused(parseForm(TagsForm, form({ intent: "create", name: "   " })))).toEqual({ name: "tags.errors.nameRequired" });
    expect(refused(parseForm(TagsForm, form({ intent: "create", name: "x".repeat(101) })))).toEqual({ name: "tags.errors.nameTooLong" });
    expect(refused(parseForm(TagsForm, form({ intent: "rename", id: "4", name: "a\u0007b", kind: "bogus" })))).toEqual({
      name: "tags.errors.nameControl",
      kind: "forms.errors.invalidChoice",
    });
  });
  it("needs a real id: no zero, negative, non-numeric or past-int ids", () => {
    for (const id of ["0", "-1", "1.5", "abc", "", "99999999999", "2147483648"])
      expect(refused(parseForm(TagsForm, form({ intent: "delete", id }))), id).toEqual({ id: expect.stringMatching(/^forms\.errors\./) });
    expect(parseForm(TagsForm, form({ intent: "delete", id: "12", force: "1" }))).toEqual({
      ok: true,
      data: { intent: "delete", id: 12, force: true },
    });
  });
  it("rules: a keyword needs its text, a segment trigger a segment id, the match at most 300 characters", () => {
    expect(refused(parseForm(TagsForm, form({ intent: "rule", trigger: "keyword", tagId: "3" })))).toEqual({
      match: "tags.errors.keywordRequired",
    });
    expect(refused(parseForm(TagsForm, form({ intent: "rule", trigger: "segment_enter", match: "VIP", tagId: "3" })))).toEqual({
      match: "tags.errors.segmentRequired",
    });
    expect(refused(parseForm(TagsForm, form({ intent: "rule", trigger: "keyword", match: "x".repeat(301), tagId: "3" })))).toEqual({
      match: "tags.errors.matchTooLong",
    });
    expect(refused(parseForm(TagsForm, form({ intent: "rule", trigger: "sometime", match: "x", tagId: "" })))).toEqual({
      trigger: "forms.errors.invalidChoice",
      tagId: "forms.errors.invalid",
    });
    expect(parseForm(TagsForm, form({ intent: "rule", trigger: "keyword", match: " hi ", action: "", tagId: "3" }))).toEqual({
      ok: true,
      data: { intent: "rule", trigger: "keyword", match: "hi", action: "add", tagId: 3 },
    });
  });
  it("refuses an intent the page never sends", () => {
    expect(refused(parseForm(TagsForm, form({ intent: "drop-table" })))).toEqual({ intent: "forms.errors.invalid" });
  });
});

describe("Friends", () => {
  it("list: unlink needs a friend id; import has no fields (the file is read apart)", () => {
    expect(parseForm(FriendsForm, form({ intent: "unlink", friendId: "7" }))).toEqual({
      ok: true,
      data: { intent: "unlink", friendId: 7 },
    });
    expect(refused(parseForm(FriendsForm, form({ intent: "unlink", friendId: "0" })))).toEqual({ friendId: "friends.errors.noFriend" });
    expect(refused(parseForm(FriendsForm, form({ intent: "unlink" })))).toEqual({ friendId: "friends.errors.noFriend" });
    expect(refused(parseForm(FriendsForm, form({ intent: "export-all" })))).toEqual({ intent: "friends.errors.unknown" });
    const f = form({ intent: "import" });
    expect(parseForm(FriendsForm, f)).toEqual({ ok: true, data: { intent: "import" } });
    expect(formFile(f, "file")).toBeNull();
    f.set("file", new Blob(["line_user_id,customer_id\n"]), "links.csv");
    expect(formFile(f, "file")?.size).toBeGreaterThan(0);
    f.set("file", new Blob([]), "empty.csv");
    expect(formFile(f, "file")).toBeNull();
  });
  it("friend page: tag changes need a tag id", () => {
    expect(parseForm(FriendPageForm, form({ intent: "add-tag", tagId: "5" }))).toEqual({ ok: true, data: { intent: "add-tag", tagId: 5 } });
    expect(refused(parseForm(FriendPageForm, form({ intent: "remove-tag", tagId: "x" })))).toEqual({ tagId: "forms.errors.invalid" });
    expect(parseForm(FriendPageForm, form({ intent: "mark-replied" })).ok).toBe(true);
  });
  it("needs reply: mark as done, for a friend id", () => {
    expect(parseForm(NeedsReplyForm, form({ intent: "mark-replied", friendId: "9" }))).toEqual({
      ok: true,
      data: { intent: "mark-replied", friendId: 9 },
    });
    expect(refused(parseForm(NeedsReplyForm, form({ intent: "other", friendId: "-3" })))).toEqual({
      intent: "friends.errors.unknown",
      friendId: "friends.errors.noFriend",
    });
  });
});

describe("Segments", () => {
  const definition = JSON.stringify({ groups: [] });
  it("editor: trimmed name and folder, conditions as JSON", () => {
    expect(parseForm(SegmentEditorForm, form({ intent: "save", name: " VIP ", folder: " ", definition }))).toEqual({
      ok: true,
      data: { intent: "save", name: "VIP", folder: "", definition: { groups: [] } },
    });
  });
  it("editor: refuses a missing or long name, a long folder, conditions that are not a JSON object", () => {
    expect(refused(parseForm(SegmentEditorForm, form({ intent: "save", name: "", folder: "f".repeat(101), definition: "{" })))).toEqual({
      name: "segments.edit.errors.nameRequired",
      folder: "segments.edit.errors.folderTooLong",
      definition: "segments.edit.invalidJson",
    });
    expect(refused(parseForm(SegmentEditorForm, form({ intent: "save", name: "n".repeat(101), definition: "[1]" })))).toEqual({
      name: "segments.edit.errors.nameTooLong",
      definition: "segments.edit.invalidJson",
    });
  });
  it("list: delete needs a segment id", () => {
    expect(parseForm(SegmentsListForm, form({ intent: "delete", id: "3" }))).toEqual({ ok: true, data: { intent: "delete", id: 3 } });
    expect(refused(parseForm(SegmentsListForm, form({ intent: "delete", id: "NaN" })))).toEqual({ id: "forms.errors.invalid" });
  });
});

describe("Menu rules", () => {
  const rule = { kind: "segment", segmentId: 4, richMenuId: 2, dwellHours: 24, urgent: false, enabled: true };
  const save = (rules: unknown[], defaultMenuId = "") =>
    parseForm(MenuRulesForm, form({ intent: "save", rules: JSON.stringify(rules), defaultMenuId }));
  it("saves the rules and an optional default menu", () => {
    expect(save([rule], "2")).toEqual({ ok: true, data: { intent: "save", rules: [rule], defaultMenuId: 2 } });
    expect(save([])).toMatchObject({ ok: true, data: { defaultMenuId: null } });
  });
  it("reports each rule's problem at its field", () => {
    expect(
      refused(
        save([
          rule,
          { ...rule, segmentId: null, dwellHours: -1 },
          { kind: "intent", richMenuId: 0, dwellHours: 99999 },
          { kind: "intent", intent: { type: "abandonedCart", minHours: 2.5 }, richMenuId: 1 },
          { kind: "intent", intent: { type: "orderDelivered", withinDays: 0 }, richMenuId: 1 },
          { kind: "intent", intent: { type: "tier", tag: " " }, richMenuId: 1 },
        ]),
      ),
    ).toEqual({
      "rules.1.segmentId": "menuRules.errors.segmentRequired",
      "rules.1.dwellHours": "menuRules.errors.dwellHours",
      "rules.2.richMenuId": "menuRules.errors.menuRequired",
      "rules.2.dwellHours": "menuRules.errors.dwellHours",
      "rules.2.intent": "menuRules.errors.intentRequired",
      "rules.3.intent.minHours": "menuRules.errors.minHours",
      "rules.4.intent.withinDays": "menuRules.errors.withinDays",
      "rules.5.intent.tag": "menuRules.errors.tagRequired",
    });
  });
  it("refuses more than 100 rules, rules that are not JSON, a bad default menu id", () => {
    expect(refused(save(Array.from({ length: 101 }, () => rule)))).toEqual({ rules: "menuRules.errors.tooMany" });
    expect(refused(parseForm(MenuRulesForm, form({ intent: "save", rules: "nope", defaultMenuId: "-2" })))).toEqual({
      rules: "forms.errors.invalid",
      defaultMenuId: "forms.errors.invalid",
    });
  });
  it("which menu: a friend id or a search of at most 200 characters", () => {
    expect(parseForm(MenuRulesForm, form({ intent: "which", query: " Ann " }))).toEqual({
      ok: true,
      data: { intent: "which", friendId: null, query: "Ann" },
    });
    expect(refused(parseForm(MenuRulesForm, form({ intent: "which", query: "q".repeat(201) })))).toEqual({ query: "forms.errors.tooBig" });
  });
});

describe("Menu designer", () => {
  const area = { label: "Shop", bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: "message", text: "Hi" } };
  const fields = (over: Record<string, string> = {}) =>
    form({
      intent: "save",
      name: " Main ",
      chatBarText: "Menu",
      template: "",
      areas: JSON.stringify([area]),
      style: JSON.stringify({ background: "#fff" }),
      ...over,
    });
  it("reads the menu being edited", () => {
    expect(parseForm(MenuDesignerForm, fields())).toEqual({
      ok: true,
      data: { intent: "save", name: "Main", chatBarText: "Menu", template: "", areas: [area], style: { background: "#fff" } },
    });
    expect(parseForm(MenuDesignerForm, form({ intent: "upload", fix: "on" }))).toEqual({ ok: true, data: { intent: "upload", fix: true } });
    expect(parseForm(MenuDesignerForm, form({ intent: "default" })).ok).toBe(true);
  });
  it("refuses shapes the page never sends: unknown template, malformed areas, more than 20 areas", () => {
    expect(
      refused(
        parseForm(
          MenuDesignerForm,
          fields({ template: "huge-99", areas: JSON.stringify([{ ...area, action: { type: "teleport" } }]), style: "[" }),
        ),
      ),
    ).toEqual({ template: "forms.errors.invalidChoice", "areas.0.action.type": "forms.errors.invalid", style: "forms.errors.invalid" });
    expect(refused(parseForm(MenuDesignerForm, fields({ areas: JSON.stringify(Array.from({ length: 21 }, () => area)) })))).toEqual({
      areas: "richMenus.errors.tooManyAreas",
    });
    expect(refused(parseForm(MenuDesignerForm, fields({ areas: JSON.stringify([{ ...area, bounds: { x: 1e9, y: 0 } }]) })))).toMatchObject({
      "areas.0.bounds.x": "forms.errors.tooBig",
    });
  });
});

describe("every message key these forms can return", () => {
  it.each(["en", "ja", "zh-TW", "th"])("exists in %s", (lng) => {
    const admin = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../locales/${lng}/admin.json`), "utf8")) as object;
    const keys = [
      ...used,
      // Returned by the routes from the services' refusals.
      "tags.errors.nameTaken",
      "tags.errors.notFound",
      "friends.errors.noFile",
      "friend.result.failed",
      "segments.errors.nameTaken",
      "segments.errors.notFound",
      "segments.errors.notEvaluated",
      "menuRules.errors.menuGone",
      "menuRules.errors.segmentGone",
      "richMenus.errors.unknown-segment",
    ];
    expect(used.size).toBeGreaterThan(15);
    const missing = keys.filter(
      (k) => typeof k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], admin) !== "string",
    );
    expect(missing).toEqual([]);
  });
});
