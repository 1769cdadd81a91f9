// Links CSV (columns shopify_customer_id,line_user_id) for merchants moving from another tool.
// Import: every row is validated first and reported with its file line; valid rows are applied in one
// transaction under the shop's link lock (all or nothing for the valid rows: a crash never leaves half
// a file), with the same rules as any other link (last link wins). A LINE user we have never seen
// becomes a Friend marked imported (importedAt, followedAt null, not following until a follow event).
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { db } from "~/db.server";
import { lockKeys, type Tx } from "~/db/customers.server";
import { validateLinkRows, type CsvRowError } from "~/domain/linking/linking";
import { afterLinkChange, linkInTx, linkLockKey } from "./links.server";

export interface ImportSummary {
  imported: number;
  unchanged: number;
  skipped: number;
  errors: CsvRowError[];
}

const REQUIRED = ["shopify_customer_id", "line_user_id"];
export const MAX_IMPORT_ROWS = 200_000;

export async function importLinksCsv(shopId: number, csvText: string, now = new Date()): Promise<ImportSummary> {
  let records: Array<{ line: number; values: Record<string, string> }>;
  try {
    const parsed = parse(csvText.replace(/^\uFEFF/, ""), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }) as Array<{
      record: Record<string, string>;
      info: { lines: number };
    }>;
    records = parsed.map((r) => ({ line: r.info.lines, values: r.record }));
  } catch (err) {
    return {
      imported: 0,
      unchanged: 0,
      skipped: 0,
      errors: [{ line: 0, code: "notCsv", message: `not a CSV file: ${err instanceof Error ? err.message : String(err)}` }],
    };
  }
  const header = csvText
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/, 1)[0]
    .toLowerCase();
  const missing = REQUIRED.filter(
    (c) =>
      !header
        .split(",")
        .map((h) => h.trim())
        .includes(c),
  );
  if (missing.length)
    return {
      imported: 0,
      unchanged: 0,
      skipped: records.length,
      errors: [
        { line: 1, code: "missingColumns", params: { columns: missing.join(", ") }, message: `missing column(s): ${missing.join(", ")}` },
      ],
    };
  if (records.length > MAX_IMPORT_ROWS)
    return {
      imported: 0,
      unchanged: 0,
      skipped: records.length,
      errors: [{ line: 0, code: "tooManyRows", params: { max: MAX_IMPORT_ROWS }, message: `at most ${MAX_IMPORT_ROWS} rows per file` }],
    };

  const { rows, errors } = validateLinkRows(records);
  const changed: Array<Parameters<typeof afterLinkChange>[1]> = [];
  let imported = 0;
  let unchanged = 0;
  await db().$transaction(
    async (tx: Tx) => {
      await lockKeys(tx, [linkLockKey(shopId)]);
      for (const row of rows) {
        const r = await linkInTx(tx, {
          shopId,
          lineUserId: row.lineUserId,
          shopifyCustomerId: row.shopifyCustomerId,
          source: "import",
          now,
        });
        if (r.outcome === "unchanged") unchanged++;
        else {
          imported++;
          changed.push({ linked: { friendId: r.friendId, source: "import" }, unlinked: [r.unlinkedFriendId] });
        }
      }
    },
    { timeout: 10 * 60_000, maxWait: 15_000 },
  );
  // Follow-ups (menus, segments) are per friend; large imports leave them to the periodic refresh.
  if (changed.length <= 500) for (const c of changed) await afterLinkChange(shopId, c, now);
  return { imported, unchanged, skipped: errors.length, errors };
}

/** All current links, oldest friend first (the same columns the import reads). */
export async function exportLinksCsv(shopId: number): Promise<string> {
  const out: string[][] = [["shopify_customer_id", "line_user_id", "link_source", "linked_at"]];
  let cursor = 0;
  for (;;) {
    const friends = await db().friend.findMany({
      where: { shopId, customerId: { not: null }, id: { gt: cursor } },
      select: { id: true, lineUserId: true, customerId: true, linkSource: true, linkedAt: true },
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (!friends.length) break;
    const customers = await db().customer.findMany({
      where: { shopId, id: { in: friends.map((f) => f.customerId!) } },
      select: { id: true, shopifyCustomerId: true },
    });
    const byId = new Map(customers.map((c) => [c.id, c.shopifyCustomerId]));
    for (const f of friends)
      out.push([String(byId.get(f.customerId!) ?? ""), f.lineUserId, f.linkSource ?? "", f.linkedAt?.toISOString() ?? ""]);
    cursor = friends[friends.length - 1].id;
  }
  return stringify(out);
}
