// segment:preview / segment:create / segment:list. Same semantics as the admin UI (both call
// app/services/segments). An invalid definition prints {"error", "issues":[{path, message}]} and
// exits 2.
import fs from "node:fs";
import type { CliCommand } from "../types";
import { requireString, UsageError } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { parseDefinition, type DefinitionIssue } from "../../../app/domain/segments/schema";
import { previewSegment } from "../../../app/services/segments/preview.server";
import { createSegment, listSegments, SegmentError } from "../../../app/services/segments/segments.server";

function invalid(error: string, issues: DefinitionIssue[]) {
  process.exitCode = 2;
  return { error, issues };
}

function readDefinition(file: string): { ok: true; definition: unknown } | { ok: false; out: ReturnType<typeof invalid> } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`Cannot read ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      out: invalid("The file is not valid JSON", [
        { path: "", code: "invalid", message: err instanceof Error ? err.message : String(err) },
      ]),
    };
  }
  const parsed = parseDefinition(json);
  if (!parsed.ok) return { ok: false, out: invalid("Invalid segment definition", parsed.issues) };
  return { ok: true, definition: parsed.definition };
}

export const commands: CliCommand[] = [
  {
    name: "segment:preview",
    description: "Count and sample the friends a segment definition matches (JSON file)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      file: { type: "string", required: true, description: 'definition JSON file ({"groups": [...]}, see docs/segments.md)' },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const def = readDefinition(requireString(args, "file"));
      if (!def.ok) return def.out;
      const p = await previewSegment(shop.id, def.definition, { sampleSize: 10 });
      return {
        count: p.count,
        excluded: p.excluded,
        sample: p.sample.map((s) => ({ lineUserId: s.lineUserId, displayName: s.displayName, shopifyCustomerId: s.shopifyCustomerId })),
      };
    },
  },
  {
    name: "segment:create",
    description: "Save a segment from a definition JSON file",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      name: { type: "string", required: true, description: "segment name (unique per shop)" },
      file: { type: "string", required: true, description: "definition JSON file" },
      folder: { type: "string", description: "folder name (created when missing)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const def = readDefinition(requireString(args, "file"));
      if (!def.ok) return def.out;
      try {
        const seg = await createSegment(shop.id, {
          name: requireString(args, "name"),
          definition: def.definition,
          folder: (args.folder as string | undefined) ?? null,
        });
        return { id: seg.id, name: seg.name, memberCount: seg.memberCount, countedAt: seg.countedAt };
      } catch (err) {
        if (err instanceof SegmentError) throw new UsageError(err.message);
        throw err;
      }
    },
  },
  {
    name: "segment:list",
    description: "List segments with counts and usage",
    options: { shop: { type: "string", required: true, description: "shop domain" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      return (await listSegments(shop.id)).map((s) => ({
        id: s.id,
        name: s.name,
        folder: s.folder,
        memberCount: s.memberCount,
        updatedAt: s.updatedAt,
        usage: s.usage.map((u) => ({ kind: u.kind, id: u.id, name: u.name })),
      }));
    },
  },
];
