// Every translation key exists in every language (with the plural forms that language needs and
// the same {{placeholders}}), and every key is used by the code.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, NAMESPACES, matchLanguage, resources, shopLanguage } from "./config";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: object, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) =>
      typeof v === "object" && v !== null ? Object.entries(flatten(v, `${prefix}${k}.`)) : [[`${prefix}${k}`, String(v)]],
    ),
  );
}

/** Base keys (plural suffix stripped) → whether the key is a plural. */
function baseKeys(flat: Record<string, string>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const k of Object.keys(flat)) out.set(k.replace(PLURAL, ""), PLURAL.test(k) || (out.get(k.replace(PLURAL, "")) ?? false));
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

describe.each(NAMESPACES)("%s translations", (ns) => {
  const en = flatten(resources.en[ns]);
  const enBase = baseKeys(en);

  it.each(LANGUAGES.filter((l) => l !== "en"))("%s has every English key, and no other", (lng) => {
    const flat = flatten(resources[lng][ns]);
    const base = baseKeys(flat);
    expect([...base.keys()].sort()).toEqual([...enBase.keys()].sort());
    const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    for (const [key, plural] of enBase) {
      if (!plural) continue;
      for (const c of categories) expect(flat, `${lng} ${key}_${c}`).toHaveProperty([`${key}_${c}`]);
    }
  });

  it.each(LANGUAGES)("%s keeps the English placeholders", (lng) => {
    const flat = flatten(resources[lng][ns]);
    for (const [key, text] of Object.entries(flat)) {
      const enText = en[key] ?? en[key.replace(PLURAL, "_other")];
      // Merchant templates keep the fallback after "|" in the shop's language; compare names only.
      expect(
        placeholders(text).map((p) => p.split("|")[0]),
        `${lng} ${key}`,
      ).toEqual(placeholders(enText).map((p) => p.split("|")[0]));
      expect(text.trim(), `${lng} ${key} is empty`).not.toBe("");
    }
  });
});

describe("keys are used", () => {
  const root = path.resolve(import.meta.dirname, "..");
  const source = fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(tsx?|ts)$/.test(e.name) && !e.name.endsWith(".test.ts") && !e.parentPath.includes("locales"))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
    .join("\n");
  const literals = new Set([...source.matchAll(/["'`]([\w.-]+)["'`]/g)].map((m) => m[1]));
  // `t(`segments.field.${field}`)`: every key under "segments.field." counts as used.
  const dynamicPrefixes = [...source.matchAll(/`([\w.-]+\.)\$\{/g)].map((m) => m[1]);

  it.each(NAMESPACES)("every %s key appears in the code", (ns) => {
    const unused = [...baseKeys(flatten(resources.en[ns])).keys()].filter(
      (k) => !literals.has(k) && !dynamicPrefixes.some((p) => k.startsWith(p)),
    );
    expect(unused).toEqual([]);
  });
});

describe("matchLanguage / shopLanguage", () => {
  it.each([
    ["ja", "ja"],
    ["ja-JP", "ja"],
    ["zh-TW", "zh-TW"],
    ["zh-tw", "zh-TW"],
    ["zh-Hant-HK", "zh-TW"],
    ["zh-CN", null],
    ["th-TH", "th"],
    ["en-US", "en"],
    ["fr", null],
    ["", null],
  ])("%s → %s", (tag, expected) => expect(matchLanguage(tag)).toBe(expected));

  it("prefers the primary locale, then the country, then English", () => {
    expect(shopLanguage({ primaryLocale: "th", country: "JP" })).toBe("th");
    expect(shopLanguage({ primaryLocale: "fr", country: "TW" })).toBe("zh-TW");
    expect(shopLanguage({ country: "US" })).toBe("en");
  });
});
