// Tracked-link redirect against its floor (issue 14): GET /r/<code>?f=<token> against the web process
// (no worker running, to show clicks do not depend on it). Saturation (`--concurrency` senders for
// `--saturate` s) against the web process and against the floor (scripts/bench/_floor.ts: a minimal
// Node server doing one indexed lookup + 302 on the same PostgreSQL) → the ratio; then open loop at
// `--rate` for `--seconds`: p50/p95/p99 from the scheduled send time, statuses, LinkClick rows.
// `npm run bench -- redirect [--rate 1000] [--seconds 10] [--web 1]`
import { Agent, request, setGlobalDispatcher } from "undici";
import {
  isolatedStack,
  ensureBuild,
  startProcess,
  stopProcess,
  waitForHttp,
  sampleRss,
  flag,
  machine,
  openLoop,
  closedLoop,
  ratio,
} from "./_harness";

setGlobalDispatcher(new Agent({ connections: 256, pipelining: 1 }));
const rate = Number(flag("rate", "1000", "200"));
const seconds = Number(flag("seconds", "10", "3"));
const saturate = Number(flag("saturate", "10", "3"));
const concurrency = Number(flag("concurrency", "32", "16"));
const webProcesses = flag("web", "1", "1");
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
  const web = startProcess("scripts/web.ts", {
    PORT: String(port),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_SECRET: "bench-secret",
    WEB_CONCURRENCY: webProcesses,
  });
  const floorUrl = `http://127.0.0.1:${port + 1000}`;
  const floor = startProcess("scripts/bench/_floor.ts", { FLOOR_MODE: "redirect", PORT: String(port + 1000) });
  await waitForHttp(`${appUrl}/healthz`);
  const webRss = sampleRss(web.pid!);
  const paths = Array.from({ length: 2000 }, (_, i) => {
    const l = links[i % links.length]!;
    return `/r/${l.code}?f=${encodeURIComponent(signFriendToken(friendIds[i % friendIds.length]!))}`;
  });
  const get = (base: string) => async (i: number) => {
    const res = await request(base + paths[i % paths.length]!);
    await res.body.dump();
    return res.statusCode;
  };
  await closedLoop(4, 1, get(appUrl)); // warm up both
  await closedLoop(4, 1, get(floorUrl));
  await db().linkClick.deleteMany({});
  const webSat = await closedLoop(concurrency, saturate, get(appUrl));
  const floorSat = await closedLoop(concurrency, saturate, get(floorUrl));
  const open = await openLoop(rate, seconds, get(appUrl));
  const out = {
    benchmark: "redirect",
    machine: machine(),
    setup: `web processes: ${webProcesses} (WEB_CONCURRENCY), no worker; load generator in this process`,
    saturation: { concurrency, seconds: saturate, web: webSat, floor: floorSat },
    ratioToFloor: ratio(webSat.achievedRps, floorSat.achievedRps),
    openLoop: { rate, seconds, ...open },
    clicksLogged: await db().linkClick.count(),
    uniqueClicks: await db().linkClick.count({ where: { visitor: { not: null } } }),
    webPeakRssMb: webRss.stop(),
  };
  console.log(JSON.stringify(out, null, 2));
  await stopProcess(floor);
  await disconnectDb();
  await stopProcess(web);
  await services.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
