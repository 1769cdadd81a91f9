// Starts the real sandbox (`scripts/sandbox.ts`: LINE emulator, web and worker processes, seeded
// shop) as a child process on free ports, using this test file's database and Redis prefix, and a
// headless Chromium (Debian's, driven by playwright-core).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort } from "~/adapters/infra/local-services.server";
import { ROOT } from "~/adapters/infra/bootstrap.server";

export interface SandboxInfo {
  adminUrl: string;
  phoneViewUrl: string;
  healthUrl: string;
  /** Bearer token for /healthz's full report (HEALTH_TOKEN). */
  healthToken: string;
  emulatorUrl: string;
  shop: string;
  lineChannelId: string;
  friends?: number;
  linkedFriends?: number;
  sampleLineUserIds?: string[];
  appUrl: string;
  /** The seeded HubSpot stand-in: its URL and the private app token to paste on /app/integrations. */
  hubspot: { url: string; accessToken: string; contacts: number; customerContacts: number };
  /** The seeded Klaviyo stand-in: its URL and the private API key to paste on /app/integrations. */
  klaviyo: { url: string; apiKey: string; profiles: number; customerProfiles: number };
}

export interface RunningSandbox {
  info: SandboxInfo;
  stop(): Promise<void>;
}

/** `region`: the shop's country (JP default, TW, TH): its time zone, currency, language and LINE plan region. */
export async function startSandbox(
  opts: { customers?: number; startTimeoutMs?: number; region?: "JP" | "TW" | "TH" } = {},
): Promise<RunningSandbox> {
  const port = await freePort();
  const emulatorPort = await freePort();
  // Every stand-in on its own free port: browser test files run sandboxes side by side.
  const hubspotPort = await freePort();
  const klaviyoPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "linecrm-sandbox-"));
  const child: ChildProcess = spawn(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [
      "scripts/sandbox.ts",
      "--customers",
      String(opts.customers ?? 40),
      "--port",
      String(port),
      "--emulator-port",
      String(emulatorPort),
      "--hubspot-port",
      String(hubspotPort),
      "--klaviyo-port",
      String(klaviyoPort),
      "--data-dir",
      dataDir,
      "--region",
      opts.region ?? "JP",
    ],
    // Its own process group (the sandbox, its web and worker): whatever ends the
    // sandbox — its own shutdown, a crash, this test process exiting — nothing of it outlives the run.
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  const killOnExit = () => killGroup("SIGKILL");
  process.once("exit", killOnExit);
  // A sandbox that ended (stopped or crashed) leaves no web or worker process behind.
  child.once("exit", () => killGroup("SIGKILL"));
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d.toString()));
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    // Generous: on a loaded machine seeding alone took over 4 minutes. On timeout the sandbox is
    // stopped (SIGTERM stops its web and worker processes too), else they outlive the test run.
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`sandbox did not start in time:\n${stderr.slice(-4000)}`));
    }, opts.startTimeoutMs ?? 480_000);
    child.stdout!.on("data", (d) => {
      stdout += d.toString();
      const end = stdout.indexOf("\n}\n");
      if (end >= 0) {
        clearTimeout(timer);
        const info = JSON.parse(stdout.slice(stdout.indexOf("{"), end + 2)) as SandboxInfo;
        // Browser tests run in English unless they choose a language (the sandbox shop is in Japan).
        info.adminUrl += `&to=${encodeURIComponent("/app?locale=en")}`;
        resolve({ ...info, appUrl: `http://localhost:${port}` });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${stderr.slice(-4000)}`));
    });
  });
  return {
    info,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          killGroup("SIGKILL");
          process.off("exit", killOnExit);
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
  if (!executablePath)
    throw new Error("chromium not found: install it with `sudo apt-get install -y chromium` (npm test does this as root)");
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // No Shopify admin (and no internet) around the sandbox: never wait on Shopify's CDN.
  await page.route("https://cdn.shopify.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: "" }));
  return page;
}

export async function screenshot(page: Page, name: string) {
  const dir = path.join(ROOT, ".data/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
