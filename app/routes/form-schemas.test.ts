// The admin routes' form schemas (app/routes/*.schema.ts): what each accepts and refuses, and that
// every message key they can return exists in all four admin languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseForm } from "~/domain/forms/parse";
import { LineChannelForm, LinePlanForm } from "./app.settings.schema";
import { CreateMenuForm } from "./app.rich-menus._index.schema";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("Settings: LINE channel", () => {
  const valid = { channelId: "2000000001", channelSecret: "s", channelAccessToken: "t" };
  it("accepts a channel, with or without a LINE Login pair", () => {
    expect(parseForm(LineChannelForm, form(valid))).toMatchObject({ ok: true, data: { ...valid, loginChannelId: "" } });
    expect(parseForm(LineChannelForm, form({ ...valid, loginChannelId: "1", loginChannelSecret: "x" })).ok).toBe(true);
  });
  it("refuses every missing or malformed field at once", () => {
    expect(parseForm(LineChannelForm, form({ channelId: "abc", loginChannelId: "1" }))).toEqual({
      ok: false,
      errors: {
        channelId: "settings.line.errors.channelId",
        channelSecret: "settings.line.errors.required",
        channelAccessToken: "settings.line.errors.accessToken",
        loginChannelSecret: "settings.line.errors.loginPair",
      },
    });
  });
  it("reads the plan choice", () => {
    expect(parseForm(LinePlanForm, form({ region: "TW", planId: "light" }))).toEqual({ ok: true, data: { region: "TW", planId: "light" } });
  });
});

describe("Rich menus: create", () => {
  it("needs a name and a known template", () => {
    expect(parseForm(CreateMenuForm, form({ name: " Main ", template: "large-6" }))).toEqual({
      ok: true,
      data: { name: "Main", template: "large-6" },
    });
    expect(parseForm(CreateMenuForm, form({ name: " ", template: "nope" }))).toEqual({
      ok: false,
      errors: { name: "richMenus.create.errors.nameRequired", template: "richMenus.create.errors.templateRequired" },
    });
  });
});

describe("form message keys", () => {
  const keys = [
    "forms.errors.invalid",
    "forms.errors.tooSmall",
    "forms.errors.tooBig",
    "forms.errors.invalidChoice",
    "settings.line.errors.channelId",
    "settings.line.errors.required",
    "settings.line.errors.accessToken",
    "settings.line.errors.loginPair",
    "settings.plan.invalid",
    "richMenus.create.errors.nameRequired",
    "richMenus.create.errors.templateRequired",
    "richMenus.create.errors.nameTaken",
  ];
  it.each(["en", "ja", "zh-TW", "th"])("exist in %s", (lng) => {
    const admin = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../locales/${lng}/admin.json`), "utf8")) as object;
    const missing = keys.filter(
      (k) => typeof k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], admin) !== "string",
    );
    expect(missing).toEqual([]);
  });
});
