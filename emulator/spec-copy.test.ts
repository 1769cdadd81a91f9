// The vendored spec copies (the fallback for a clone without ../shared) must equal the shared source.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const here = import.meta.dirname;
const shared = path.resolve(here, "..", "..", "shared", "line-openapi");

it.skipIf(!fs.existsSync(shared))("vendored LINE OpenAPI files are identical to ../shared/line-openapi", () => {
  for (const file of ["messaging-api.yml", "manage-audience.yml", "webhook.yml", "LICENSE"]) {
    expect(fs.readFileSync(path.join(here, "line-openapi", file), "utf8"), file).toBe(fs.readFileSync(path.join(shared, file), "utf8"));
  }
});
