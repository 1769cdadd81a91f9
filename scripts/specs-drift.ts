// The vendored OpenAPI copies (emulator/line-openapi, emulator/klaviyo/openapi) against their source,
// ../shared/{line-openapi,klaviyo-openapi} beside the repo (or SHARED_DIR). The emulator and the
// Klaviyo stand-in always read the vendored copies, so a clone behaves the same everywhere; this is
// the developer's check that the copies are still the published ones. Not a test: its answer depends
// on a directory outside the repo. `npm run specs:drift` — exit 1 when a vendored file differs.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Vendored directory (in the repo) → its source directory name under the shared directory, and the files taken. */
export const VENDORED = [
  {
    vendored: "emulator/line-openapi",
    source: "line-openapi",
    files: ["messaging-api.yml", "manage-audience.yml", "webhook.yml", "LICENSE"],
  },
  {
    vendored: "emulator/klaviyo/openapi",
    source: "klaviyo-openapi",
    files: ["profiles.json", "lists.json", "segments.json", "README.md", "SOURCE"],
  },
] as const;

export type DriftStatus = "same" | "differs" | "missing-in-source" | "missing-vendored";

/** Each vendored file compared byte for byte with the same file under `sharedDir/<source>`. */
export function compareVendored(repoRoot: string, sharedDir: string): Array<{ file: string; status: DriftStatus }> {
  const out: Array<{ file: string; status: DriftStatus }> = [];
  for (const v of VENDORED)
    for (const f of v.files) {
      const mine = path.join(repoRoot, v.vendored, f);
      const theirs = path.join(sharedDir, v.source, f);
      const status: DriftStatus = !fs.existsSync(mine)
        ? "missing-vendored"
        : !fs.existsSync(theirs)
          ? "missing-in-source"
          : fs.readFileSync(mine).equals(fs.readFileSync(theirs))
            ? "same"
            : "differs";
      out.push({ file: path.join(v.vendored, f), status });
    }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const shared = path.resolve(process.env.SHARED_DIR ?? path.join(root, "..", "shared"));
  if (!fs.existsSync(shared)) {
    console.log(`no ${shared}: nothing to compare the vendored specs with (set SHARED_DIR)`);
    process.exit(0);
  }
  const rows = compareVendored(root, shared);
  for (const r of rows) console.log(`${r.status.padEnd(18)} ${r.file}`);
  const bad = rows.filter((r) => r.status !== "same");
  console.log(
    bad.length ? `${bad.length} vendored file(s) differ from ${shared}: copy them again` : `vendored specs identical to ${shared}`,
  );
  process.exit(bad.length ? 1 : 0);
}
