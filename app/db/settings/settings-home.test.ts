// One home for settings (issue 13): outside app/db/settings/, no code in app/ or scripts/ reads or
// writes Shop.settings or the settings tables (MessagingPolicy, AssistantSetting) itself; it calls the
// area's loader/saver (index.server.ts). Like the routes' no-db() rule, this reads the source.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS_AREAS } from "./index.server";
import { SHOP_SETTINGS_AREAS } from "./json.server";

const ROOT = path.resolve(__dirname, "../../..");
const HOME = path.join(ROOT, "app/db/settings") + path.sep;

/** What counts as touching settings storage directly; each with the reason it is refused. */
const DIRECT_ACCESS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /\b\w*[sS]hop\w*\??\.settings\b/, what: "reads Shop.settings" },
  { pattern: /\bsettings\s*:\s*true\b/, what: "selects Shop.settings" },
  { pattern: /\bsettings\s*->>?/, what: "reads Shop.settings in SQL" },
  { pattern: /storedSettingsArea|saveSettingsArea|settings\/json\.server/, what: "uses the Shop.settings storage helpers" },
  { pattern: /\.(messagingPolicy|assistantSetting|automationSetting)\s*\./, what: "uses a settings table" },
  { pattern: /(FROM|JOIN|INTO|UPDATE)\s+"(MessagingPolicy|AssistantSetting|AutomationSetting)"/i, what: "uses a settings table in SQL" },
];

export function directSettingsAccess(source: string): string[] {
  const out: string[] = [];
  source.split("\n").forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may name the storage
    for (const { pattern, what } of DIRECT_ACCESS) if (pattern.test(line)) out.push(`${i + 1}: ${what}: ${line.trim()}`);
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe("settings: one home", () => {
  it("no code outside app/db/settings/ reads or writes settings storage directly", () => {
    const offenders = [...sourceFiles(path.join(ROOT, "app")), ...sourceFiles(path.join(ROOT, "scripts"))]
      .filter((f) => !f.startsWith(HOME))
      .flatMap((f) => directSettingsAccess(fs.readFileSync(f, "utf8")).map((hit) => `${path.relative(ROOT, f)}:${hit}`));
    expect(offenders).toEqual([]);
  });

  it("the check catches each kind of direct access (and lets the loaders through)", () => {
    expect(directSettingsAccess("const d = shop.settings;")).toHaveLength(1);
    expect(directSettingsAccess("resolvePlan(current?.settings, c)").length).toBe(0); // not a shop-named variable: covered by the loaders' types
    expect(directSettingsAccess("select: { settings: true }")).toHaveLength(1);
    expect(directSettingsAccess(`SELECT s.settings->'lifecycle' FROM "Shop" s`)).toHaveLength(1);
    expect(directSettingsAccess(`import { saveSettingsArea } from "~/db/settings/json.server";`)).toHaveLength(1);
    expect(directSettingsAccess("await db().messagingPolicy.upsert({})")).toHaveLength(1);
    expect(directSettingsAccess("await tx.assistantSetting.findUnique({})")).toHaveLength(1);
    expect(directSettingsAccess(`DELETE FROM "AssistantSetting" WHERE 1=1`)).toHaveLength(1);
    expect(directSettingsAccess(`import { loadMessagingPolicy } from "~/db/settings/messaging-policy.server";`)).toEqual([]);
    expect(directSettingsAccess(`const s = readLifecycleSettings(shop);`)).toEqual([]);
  });

  it("the index lists every Shop.settings area and every settings table", () => {
    const json = Object.entries(SETTINGS_AREAS).filter(([, a]) => a.storedIn.startsWith("Shop.settings."));
    expect(json.map(([k, a]) => [k, a.storedIn])).toEqual(SHOP_SETTINGS_AREAS.map((k) => [k, `Shop.settings.${k}`]));
    const schema = fs.readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
    const tables = [...schema.matchAll(/^model (\w*(Setting|Policy)\w*) \{/gm)].map((m) => m[1]);
    expect(tables.sort()).toEqual(
      Object.values(SETTINGS_AREAS)
        .filter((a) => a.storedIn.endsWith(" row"))
        .map((a) => a.storedIn.replace(/ row$/, ""))
        .sort(),
    );
  });
});
