// temp exploration script (not committed)
import { chromium } from "playwright-core";
import fs from "node:fs";
const [base, locale, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await ctx.route("https://cdn.shopify.com/**", (r) => r.fulfill({ contentType: "text/javascript", body: "" }));
const login = await ctx.newPage();
await login.goto(`${base}/sandbox/login?shop=sandbox-shop.myshopify.com`);
await login.waitForSelector(".Polaris-Frame");
fs.mkdirSync(outDir, { recursive: true });
for (const p of paths) {
  const page = await ctx.newPage();
  const errs = [];
  page.on("console", (m) => m.type() === "error" && errs.push(m.text()));
  page.on("pageerror", (e) => errs.push(e.message));
  const u = new URL(p, base); u.searchParams.set("locale", locale);
  await page.goto(u.toString());
  await page.waitForSelector(".Polaris-Page, [data-error-boundary]", { timeout: 20000 }).catch(() => {});
  await page.waitForLoadState("networkidle");
  const text = await page.evaluate(() => document.body.innerText);
  const ph = await page.evaluate(() => [...document.querySelectorAll("[placeholder],[aria-label],[title]")].map((e) => [e.getAttribute("placeholder"), e.getAttribute("aria-label"), e.getAttribute("title")].filter(Boolean).join(" | ")).join("\n"));
  const links = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")).filter((h) => h.startsWith("/app")));
  const name = p.replace(/[^a-z0-9]+/gi, "_");
  fs.writeFileSync(`${outDir}/${name}.txt`, `${text}\n---ATTRS---\n${ph}\n---LINKS---\n${[...new Set(links)].join("\n")}\n---ERRORS---\n${errs.join("\n")}\n`);
  await page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  await page.close();
}
await browser.close();
