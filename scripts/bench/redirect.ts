// Tracked-link redirect under load: open-loop GET /r/<code>?f=<token> at a fixed rate against the
// web process (no worker running, to show clicks do not depend on it); p50/p95/p99 latency, status
// codes, and the LinkClick rows written. `npm run bench -- redirect [--rate 1000] [--seconds 10]`
import { Agent, request, setGlobalDispatcher } from "undici";
import { isolatedStack, ensureBuild, startProcess, stopProcess, waitForHttp, summarize, sampleRss, flag } from "./_harness";

setGlobalDispatcher(new Agent({ connections: 256, pipelining: 1 }));
const rate = Number(flag("rate", "1000"));
const seconds = Number(flag("seconds", "10"));
const shopDomain = "bench-redirect.myshopify.com";

async function main() {
  const services = await isolatedStack("redirect");
  ensureBuild();
  const port = 3800 + Math.floor(Math.random() * 500);
  const appUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { SHOPIFY_APP_URL: appUrl, SHOPIFY_API_SECRET: "bench-secret" });
  const { resetEnv } = await import("../../app/config/env.server");
  resetEnv();
  const { db, disconnectDb } = await import("../../app/db.server");
  const { installDevShop } = await import("../../app/services/shops.server");
  const { createTrackedLink, signFriendToken } = await import("../../app/services/tracking/links.server");
  await installDevShop({ domain: shopDomain });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  await db()
    .$executeRaw`INSERT INTO "Friend" ("shopId", "lineUserId", "updatedAt") SELECT ${shop.id}, 'U' || g, now() FROM generate_series(1, 10000) g`;
  const friendIds = (await db().friend.findMany({ where: { shopId: shop.id }, select: { id: true } })).map((f) => f.id);
  const links = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      createTrackedLink({
        shopId: shop.id,
        url: `https://${shopDomain}/products/p${i}?variant=${i}`,
        sourceType: "broadcast",
        sourceId: i + 1,
      }),
    ),
  );
  const web = startProcess("scripts/web.ts", { PORT: String(port), SHOPIFY_APP_URL: appUrl, SHOPIFY_API_SECRET: "bench-secret" });
  await waitForHttp(`${appUrl}/healthz`);
  const webRss = sampleRss(web.pid!);
  const urls = Array.from({ length: 2000 }, (_, i) => {
    const l = links[i % links.length]!;
    return `${appUrl}/r/${l.code}?f=${encodeURIComponent(signFriendToken(friendIds[i % friendIds.length]!))}`;
  });
  for (const u of urls.slice(0, 200)) await (await request(u)).body.dump(); // warm up
  await db().linkClick.deleteMany({});

  const total = rate * seconds;
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const scheduled = started + (i * 1000) / rate; // open loop: latency from the intended send time
    inflight.push(
      request(urls[i % urls.length]!)
        .then(async (res) => {
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        })
        .catch(() => void (statuses.error = (statuses.error ?? 0) + 1))
        .then(() => void lat.push(performance.now() - scheduled)),
    );
  }
  await Promise.all(inflight);
  const wall = (performance.now() - started) / 1000;
  const out = {
    benchmark: "redirect",
    machine: "2 cores, loopback; web process (remix-serve build) alone, no worker; load generator in this process",
    rate,
    seconds,
    achievedRps: Math.round(total / wall),
    statuses,
    latencyMs: summarize(lat),
    clicksRecorded: await db().linkClick.count(),
    clicksWithFriend: await db().linkClick.count({ where: { friendId: { not: null } } }),
    webPeakRssMb: webRss.stop(),
  };
  console.log(JSON.stringify(out, null, 2));
  await disconnectDb();
  await stopProcess(web);
  await services.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
