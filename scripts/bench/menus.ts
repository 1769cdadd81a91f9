// Rule change → N friends: time to apply a rule change that moves every friend to another menu
// (bulk link, 500 users per call) against the LINE emulator on loopback, the number of bulk calls,
// the ratio to LINE's rate-limit floor (N / 500 users / 2,000 req/s; floor time ÷ measured time), and peak RSS of the process
// doing the work (this process runs the apply, as the worker would).
// `npm run bench -- menus [--friends 100000]` (use --friends 1000000 on a machine with room).
import { isolatedStack, flag, benchShopOnEmulator, machine, ratio } from "./_harness";

const N = Number(flag("friends", "100000", "2000"));
const shopDomain = "bench-menus.myshopify.com";

async function main() {
  const services = await isolatedStack("menus");
  const { emu, ch, shop } = await benchShopOnEmulator(shopDomain);
  const { db, disconnectDb } = await import("../../app/db.server");
  const { createMenuFromTemplate, generateImageFor } = await import("../../app/services/rich-menus/menus.server");
  const { publishMenu, setDefaultMenu } = await import("../../app/services/rich-menus/publish.server");
  const { saveRules } = await import("../../app/services/rich-menus/rules.server");
  const { runApply } = await import("../../app/services/rich-menus/apply.server");
  const { closeQueues } = await import("../../app/adapters/queue/queues.server");

  const seedStarted = performance.now();
  for (let i = 0; i < N; i += 10_000) {
    const ids: string[] = [];
    for (let j = i; j < Math.min(N, i + 10_000); j++)
      ids.push(emu.state.createUser({ displayName: `F${j}`, friendOf: [ch.channelId] }).userId);
    await db().friend.createMany({ data: ids.map((lineUserId) => ({ shopId: shop.id, lineUserId })) });
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const make = async (name: string, template: string) => {
    const m = await createMenuFromTemplate({ shopId: shop.id, name, template });
    await generateImageFor(shop.id, m.id);
    await publishMenu(shop.id, m.id);
    return m.id;
  };
  const def = await make("Default", "compact-2");
  await setDefaultMenu(shop.id, def);
  const target = await make("Everyone", "large-6");
  await saveRules(shop.id, [{ kind: "everyone", richMenuId: target, dwellHours: 0 }]);

  // This process also hosts the emulator (its N users and request log), so RSS before the apply is
  // the baseline; the apply's own memory is the growth above it.
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const run = await db().menuApplyRun.create({ data: { shopId: shop.id, total: N } });
  const started = performance.now();
  const done = await runApply(shop.id, run.id);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);

  const requests = emu.state.mustChannel(ch.channelId).requests.filter((r) => r.operationId === "linkRichMenuIdToUsers");
  const floor = N / 500 / 2000;
  const linked = [...emu.state.mustChannel(ch.channelId).userRichMenus.values()].filter((v) => v).length;
  const result = {
    benchmark: "menus",
    machine: machine(),
    friends: N,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    applySeconds: Math.round(seconds * 100) / 100,
    friendsPerSecond: Math.round(N / seconds),
    bulkCalls: done.bulkCalls,
    bulkCallsLogged: requests.length,
    linkedInEmulator: linked,
    floorSeconds: floor,
    // floor ÷ measured (1 = at LINE's documented bulk-link limit: 500 users × 2,000 requests/s).
    ratioToFloor: ratio(floor, seconds),
    peakRssMb: Math.round(peakRss / 1048576),
    rssBeforeApplyMb: Math.round(rssBefore / 1048576),
    applyRssGrowthMb: Math.round((peakRss - rssBefore) / 1048576),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await closeQueues();
  await disconnectDb();
  await emu.close();
  await services.stop();
  if (linked !== N) throw new Error(`${N - linked} friends not linked to the new menu`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
