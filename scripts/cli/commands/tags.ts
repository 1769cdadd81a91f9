// tag:list / tag:create / tag:add (to friends by LINE user id or to a segment's members).
import fs from "node:fs";
import type { CliCommand } from "../types";
import { requireString, UsageError } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { db } from "../../../app/db.server";
import { listTagRows, tagUsages } from "../../../app/db/tags.server";
import { addTagToFriends, createTag, ensureTag, tagSegmentMembers, TagError } from "../../../app/services/tags/tags.server";
import { TAG_KINDS, type TagKind } from "../../../app/domain/tags/tags";
import { parseDefinition } from "../../../app/domain/segments/schema";

export const commands: CliCommand[] = [
  {
    name: "tag:list",
    description: "List friend tags with friend counts and usage",
    options: { shop: { type: "string", required: true, description: "shop domain" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const [rows, usage] = await Promise.all([listTagRows(shop.id), tagUsages(shop.id)]);
      return rows.map((t) => ({ id: t.id, name: t.name, kind: t.kind, friendCount: t.friendCount, usage: usage.get(t.name) }));
    },
  },
  {
    name: "tag:create",
    description: `Create a friend tag (kind: ${TAG_KINDS.join(" | ")})`,
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      name: { type: "string", required: true, description: "tag name" },
      kind: { type: "string", description: "tag kind (default other)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      try {
        const t = await createTag(shop.id, {
          name: requireString(args, "name"),
          kind: ((args.kind as string | undefined) ?? "other") as TagKind,
        });
        return { id: t.id, name: t.name, kind: t.kind };
      } catch (err) {
        if (err instanceof TagError) throw new UsageError(err.message);
        throw err;
      }
    },
  },
  {
    name: "tag:add",
    description: "Add a tag (created when missing) to friends by LINE user id, or to every member of a segment definition",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      tag: { type: "string", required: true, description: "tag name" },
      user: { type: "string", multiple: true, description: "LINE user id (repeatable)" },
      segment: { type: "string", description: "definition JSON file: tag every matching friend" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const tag = await ensureTag(shop.id, requireString(args, "tag"));
      if (typeof args.segment === "string") {
        const parsed = parseDefinition(JSON.parse(fs.readFileSync(args.segment, "utf8")));
        if (!parsed.ok) {
          process.exitCode = 2;
          return { error: "Invalid segment definition", issues: parsed.issues };
        }
        return { tag: tag.name, added: await tagSegmentMembers(shop.id, tag.id, parsed.definition, "add") };
      }
      const users = (args.user as string[] | undefined) ?? [];
      if (!users.length) throw new UsageError("Pass --user (repeatable) or --segment");
      const friends = await db().friend.findMany({ where: { shopId: shop.id, lineUserId: { in: users } }, select: { id: true } });
      return {
        tag: tag.name,
        added: await addTagToFriends(
          shop.id,
          tag.id,
          friends.map((f) => f.id),
        ),
        unknownUsers: users.length - friends.length,
      };
    },
  },
];
