// `npm run sandbox`: the whole product on one machine with no Shopify account and no LINE account.
// Starts PostgreSQL + Redis (local stand-ins), the LINE emulator, the HubSpot and Klaviyo stand-ins
// (seeded with contacts/profiles matching part of the synthetic store), the web and worker processes;
// installs a sandbox shop with an offline session and a LINE channel on the emulator; fills it with a
// synthetic store delivered through signed webhooks to the real routes; prints the URLs.
//
// Options: --customers N (default 300) --seed N --port N (web, default 3000) --emulator-port N
// (default 9090) --hubspot-port N (default 9091) --klaviyo-port N (default 9092) --shop <domain> --keep (reuse the previous sandbox data instead of starting fresh)
// --exit-after-seed (stop once seeded: for scripts and tests) --region JP|TW|TH (the shop's country,
// time zone, currency and language, and its LINE plan region; default JP)
import crypto from "node:crypto";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { appNodeArgs } from "./worker-flags";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "300" },
    seed: { type: "string", default: "42" },
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "emulator-port": { type: "string", default: "9090" },
    "hubspot-port": { type: "string", default: "9091" },
    "klaviyo-port": { type: "string", default: "9092" },
    shop: { type: "string", default: "sandbox-shop.myshopify.com" },
    keep: { type: "boolean", default: false },
    region: { type: "string", default: "JP" },
    "exit-after-seed": { type: "boolean", default: false },
    "data-dir": { type: "string", default: process.env.DATA_DIR ?? ".data" },
  },
});

const say = (m: string) => process.stderr.write(`[sandbox] ${m}\n`);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const built = path.join(ROOT, "build/index.js");
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs > newestMtime(path.join(ROOT, "app"))) return;
  say("building the app (remix build) …");
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/remix"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("remix build failed");
}

// Generous: on a loaded machine (browser test files side by side) the web process took over a minute.
async function waitForHealthy(url: string, timeoutMs = 180_000) {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(new URL("/healthz", url));
      const body = (await res.json()) as { status: string };
      if (res.ok) return body;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`web did not become healthy at ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Web and worker processes: stopped on shutdown, and also when start-up fails (else they outlive us).
const children: ChildProcess[] = [];

async function main() {
  const dataDir = path.resolve(ROOT, args["data-dir"]!);
  if (!args.keep && !process.env.DATABASE_URL) {
    // Fresh by default: a sandbox that starts from the same seed is predictable.
    const { stopStaleServices, wipeServiceData } = await import("./sandbox/cleanup");
    await stopStaleServices(dataDir);
    wipeServiceData(dataDir);
  }
  const port = Number(args.port);
  const appUrl = `http://localhost:${port}`;
  Object.assign(process.env, {
    NODE_ENV: "development",
    SANDBOX_AUTH: "1",
    DATA_DIR: dataDir,
    PORT: String(port),
    SHOPIFY_APP_URL: appUrl,
    // /healthz answers its full report only to this bearer token (printed below as healthToken).
    HEALTH_TOKEN: process.env.HEALTH_TOKEN || crypto.randomBytes(24).toString("base64url"),
  });

  const { bootstrap } = await import("../app/adapters/infra/bootstrap.server");
  const services = await bootstrap({ log: say });
  const { startLineEmulator } = await import("../emulator/index");
  const emulator = await startLineEmulator({ host: "127.0.0.1", port: Number(args["emulator-port"]) });
  Object.assign(process.env, { LINE_API_BASE_URL: emulator.url, LINE_API_DATA_BASE_URL: emulator.url, LINE_LOGIN_BASE_URL: emulator.url });
  const { resetEnv, env } = await import("../app/config/env.server");
  resetEnv();
  say(`LINE emulator at ${emulator.url}`);
  // CRM / email-tool stand-ins (docs/integrations.md); the merchant connects them on /app/integrations.
  const { startHubSpotStandIn } = await import("../emulator/hubspot/index");
  const { startKlaviyoStandIn } = await import("../emulator/klaviyo/index");
  const hubspot = await startHubSpotStandIn({ port: Number(args["hubspot-port"]) });
  const klaviyo = await startKlaviyoStandIn({ host: "127.0.0.1", port: Number(args["klaviyo-port"]) });
  Object.assign(process.env, { HUBSPOT_API_BASE_URL: hubspot.url, KLAVIYO_API_BASE_URL: klaviyo.url });
  resetEnv();
  say(`HubSpot stand-in at ${hubspot.url}, Klaviyo stand-in at ${klaviyo.url}`);

  ensureBuild();
  // As production runs them (package.json start/worker): one Node process each, the worker with its heap ceiling.
  const start = (name: string, script: string) => {
    const child = spawn(process.execPath, appNodeArgs(script), {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("exit", (code, signal) => {
      if (!stopping) say(`${name} exited (${code ?? signal})`);
    });
    children.push(child);
  };
  let stopping = false;
  start("web", "scripts/web.ts");
  start("worker", "app/jobs/worker.ts");
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping …");
    await Promise.all(
      children.map(
        (c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once("exit", () => resolve()), c.kill("SIGTERM")))),
      ),
    );
    fs.rmSync(path.join(dataDir, "sandbox.env"), { force: true });
    await emulator.close();
    await hubspot.close();
    await klaviyo.close();
    const { closeQueues } = await import("../app/adapters/queue/queues.server");
    const { disconnectDb } = await import("../app/db.server");
    await closeQueues();
    await disconnectDb();
    await services.stop();
  };
  process.on("SIGINT", () => void shutdown().then(() => process.exit(0)));
  process.on("SIGTERM", () => void shutdown().then(() => process.exit(0)));

  await waitForHealthy(appUrl);
  // While the sandbox runs, `npm run cli` (same DATA_DIR) reaches the same emulator and app URL.
  const sandboxEnvFile = path.join(dataDir, "sandbox.env");
  fs.writeFileSync(
    sandboxEnvFile,
    [
      "LINE_API_BASE_URL",
      "LINE_API_DATA_BASE_URL",
      "LINE_LOGIN_BASE_URL",
      "SHOPIFY_APP_URL",
      "HUBSPOT_API_BASE_URL",
      "KLAVIYO_API_BASE_URL",
    ]
      .map((k) => `${k}=${process.env[k]}`)
      .join("\n") + "\n",
  );
  const { seedSandbox } = await import("./sandbox/seed");
  const summary = await seedSandbox({
    shopDomain: args.shop!,
    customers: Number(args.customers),
    seed: Number(args.seed),
    appUrl,
    apiSecret: env().SHOPIFY_API_SECRET,
    emulatorUrl: emulator.url,
    reuse: args.keep!,
    region: args.region!,
    log: say,
  });
  // The same store the seed delivered (generateStore options as in seedSandbox): emails match.
  const { seedHubSpotStandIn } = await import("../emulator/hubspot/index");
  const { seedKlaviyoStandIn } = await import("../emulator/klaviyo/index");
  const store = { customers: Number(args.customers), seed: Number(args.seed), shopDomain: args.shop! };
  const hubspotSeed = seedHubSpotStandIn(hubspot.state, { store });
  const klaviyoSeed = seedKlaviyoStandIn(klaviyo.state, { store });
  const health = await waitForHealthy(appUrl);
  const result = {
    adminUrl: `${appUrl}/sandbox/login?shop=${encodeURIComponent(args.shop!)}`,
    phoneViewUrl: `${emulator.url}/__emulator/phone`,
    healthUrl: `${appUrl}/healthz`,
    healthToken: process.env.HEALTH_TOKEN,
    health: health.status,
    emulatorUrl: emulator.url,
    ...summary,
    // Paste these on /app/integrations to connect the stand-ins.
    hubspot: {
      url: hubspot.url,
      accessToken: hubspotSeed.accessToken,
      contacts: hubspotSeed.contacts,
      customerContacts: hubspotSeed.customerContacts,
    },
    klaviyo: { url: klaviyo.url, apiKey: klaviyo.apiKey, profiles: klaviyoSeed.profiles, customerProfiles: klaviyoSeed.customerProfiles },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  say(`admin UI:    ${result.adminUrl}`);
  say(`phone view:  ${result.phoneViewUrl}`);
  say(`health:      ${result.healthUrl}`);
  if (args["exit-after-seed"]) {
    await shutdown();
    process.exit(0);
  }
  say("running — Ctrl-C to stop");
}

main().catch((err) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exit(1);
});
