// The floor a hot path is compared with (issue 14): a minimal Node HTTP server on the same PostgreSQL
// doing only the irreducible work, run as its own process like the web process.
//   FLOOR_MODE=webhook: read the body, Shopify's HMAC check (base64 HMAC-SHA256, constant-time), one
//     INSERT of the delivery into "FloorWebhookDelivery" (a copy of "WebhookDelivery": same columns,
//     defaults and indexes; its own table so the worker's sweeper never sees these rows), 200.
//   FLOOR_MODE=redirect: one indexed lookup of the link by code, 302.
// Env: PORT, DATABASE_URL, SHOPIFY_API_SECRET.
import http from "node:http";
import crypto from "node:crypto";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
const secret = process.env.SHOPIFY_API_SECRET ?? "";
const mode = process.env.FLOOR_MODE;

const server = http.createServer((req, res) => {
  if (mode === "redirect") {
    const code = (req.url ?? "").split("?")[0]!.split("/").pop() ?? "";
    pool
      .query({ name: "floor-link", text: `SELECT url FROM "TrackedLink" WHERE code = $1`, values: [code] })
      .then((r) => {
        if (!r.rows[0]) res.writeHead(404).end();
        else res.writeHead(302, { location: r.rows[0].url }).end();
      })
      .catch(() => res.writeHead(500).end());
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = crypto.createHmac("sha256", secret).update(body).digest();
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    pool
      .query({
        name: "floor-insert",
        text: `INSERT INTO "FloorWebhookDelivery" ("shopDomain", "webhookId", topic, payload) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING`,
        values: [
          req.headers["x-shopify-shop-domain"],
          req.headers["x-shopify-webhook-id"],
          req.headers["x-shopify-topic"],
          body.toString("utf8"),
        ],
      })
      .then(() => res.writeHead(200).end())
      .catch(() => res.writeHead(503).end());
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => void pool.end().then(() => process.exit(0))));
