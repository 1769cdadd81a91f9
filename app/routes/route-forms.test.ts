// Issue 13: an admin route reads its form only through a zod schema (parseForm, app/domain/forms/parse.ts),
// never field by field (form.get / getAll / has). A file upload is taken with formFile. Routes not yet
// converted are listed below; convert one, then delete its line — the list only shrinks.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve(import.meta.dirname);

/** app.* routes that still read FormData by hand (all converted; kept so a stale entry fails). Do not add to this list. */
const ROUTES_STILL_READING_FORMDATA_BY_HAND: string[] = [];

/** Why `source` (a route module) does not read its form through parseForm; null when it does (or has no form). */
export function handParsing(source: string): string | null {
  if (!/request\.formData\(\)/.test(source)) return null;
  if (!/\bparseForm\(/.test(source) || !/from "~\/domain\/forms\/parse"/.test(source)) return "reads request.formData() without parseForm";
  // The FormData must go straight to parseForm/formFile: bound to a name, that name must not be read field by field.
  for (const m of source.matchAll(/(?:const|let)\s+(\w+)\s*=\s*await\s+request\.formData\(\)/g)) {
    const name = m[1]!;
    const byHand = new RegExp(`\\b${name}\\s*\\??\\.\\s*(get|getAll|has|entries|keys|values|forEach)\\s*\\(`).exec(source);
    if (byHand) return `reads ${name}.${byHand[1]}(…) by hand`;
  }
  for (const m of source.matchAll(/(\w+)\(\s*(?:[\w.]+\s*,\s*)?await\s+request\.formData\(\)/g))
    if (m[1] !== "parseForm") return `passes request.formData() to ${m[1]} instead of parseForm`;
  return null;
}

describe("admin routes read forms through parseForm", () => {
  const routes = fs.readdirSync(ROUTES).filter((f) => f.startsWith("app.") && f.endsWith(".tsx"));

  it.each(routes)("%s", (file) => {
    const problem = handParsing(fs.readFileSync(path.join(ROUTES, file), "utf8"));
    if (ROUTES_STILL_READING_FORMDATA_BY_HAND.includes(file)) {
      // Converted routes leave the list: a stale line fails here.
      expect(problem, `${file} no longer parses by hand: delete it from ROUTES_STILL_READING_FORMDATA_BY_HAND`).not.toBeNull();
    } else {
      expect(problem, `${file}: parse the form with a zod schema through parseForm (app/domain/forms/parse.ts)`).toBeNull();
    }
  });

  it("the allowlist names only existing routes", () => {
    expect(ROUTES_STILL_READING_FORMDATA_BY_HAND.filter((f) => !routes.includes(f))).toEqual([]);
  });

  it("tells hand parsing from parseForm", () => {
    const head = 'import { parseForm } from "~/domain/forms/parse";\n';
    expect(handParsing("const x = 1;")).toBeNull();
    expect(handParsing(`${head}const p = parseForm(S, await request.formData());`)).toBeNull();
    expect(handParsing(`${head}const form = await request.formData();\nconst p = parseForm(S, form);\nformFile(form, "f");`)).toBeNull();
    expect(handParsing(`const form = await request.formData();\nconst id = form.get("id");`)).toMatch(/without parseForm/);
    expect(handParsing(`${head}const form = await request.formData();\nparseForm(S, form);\nform.get("intent");`)).toMatch(/form\.get/);
    expect(handParsing(`${head}parseForm(S, x);\nsave(shop, await request.formData());`)).toMatch(/to save/);
  });
});
