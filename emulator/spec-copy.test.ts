// The vendored spec copies are what the emulator and the Klaviyo stand-in validate against in every
// clone. Their bytes are pinned by emulator/vendored-specs.sha256 (an edit — a formatter, a merge —
// fails here); whether they are still the published source is `npm run specs:drift`, which reads
// ../shared and so is a developer's check, not a test (tests never depend on what is outside the repo).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareVendored, VENDORED } from "../scripts/specs-drift";

const root = path.resolve(import.meta.dirname, "..");

describe("vendored OpenAPI copies", () => {
  it("every vendored file has the bytes recorded in vendored-specs.sha256, and every recorded file is vendored", () => {
    const lines = fs
      .readFileSync(path.join(import.meta.dirname, "vendored-specs.sha256"), "utf8")
      .trim()
      .split("\n");
    const recorded = new Map(lines.map((l) => [l.slice(66), l.slice(0, 64)]));
    const expected = VENDORED.flatMap((v) => v.files.map((f) => `${v.vendored}/${f}`));
    expect([...recorded.keys()].sort()).toEqual([...expected].sort());
    for (const [file, sum] of recorded)
      expect(
        crypto
          .createHash("sha256")
          .update(fs.readFileSync(path.join(root, file)))
          .digest("hex"),
        file,
      ).toBe(sum);
  });

  it("the drift check tells a changed byte and a missing file apart from identical copies", () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), "shared-"));
    try {
      for (const v of VENDORED) {
        fs.mkdirSync(path.join(shared, v.source));
        for (const f of v.files) fs.copyFileSync(path.join(root, v.vendored, f), path.join(shared, v.source, f));
      }
      expect(compareVendored(root, shared).every((r) => r.status === "same")).toBe(true);
      const webhook = path.join(shared, "line-openapi", "webhook.yml");
      fs.appendFileSync(webhook, " ");
      fs.rmSync(path.join(shared, "klaviyo-openapi", "SOURCE"));
      const changed = compareVendored(root, shared).filter((r) => r.status !== "same");
      expect(changed).toEqual([
        { file: "emulator/line-openapi/webhook.yml", status: "differs" },
        { file: "emulator/klaviyo/openapi/SOURCE", status: "missing-in-source" },
      ]);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });
});
