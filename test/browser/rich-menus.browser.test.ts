// Done-when for personalized rich menus: in the sandbox admin, create a menu from a LINE template,
// generate its image (Japanese label), publish it, make it the default, and see it on a friend's
// phone in the LINE emulator's phone view.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startSandbox, launchBrowser, newPage, screenshot, type RunningSandbox } from "./support/sandbox";

let sandbox: RunningSandbox;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ customers: 10 });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe("rich menu designer", () => {
  it("creates a template menu with a generated image, publishes it and shows it on the phone", async () => {
    const page = await newPage(browser);
    await page.goto(sandbox.info.adminUrl);
    await page.waitForSelector(".Polaris-Frame");
    await page.goto(`${sandbox.info.appUrl}/app/rich-menus`);
    const name = `Browser menu ${Date.now()}`;
    await page.getByLabel("Menu name").fill(name);
    await page.getByLabel("Template").selectOption("large-6");
    await page.getByRole("button", { name: "Create menu" }).click();
    await page.waitForURL(/\/app\/rich-menus\/\d+$/);

    await page.getByLabel("Label").first().fill("ショップ");
    await page.getByLabel("Action").first().selectOption("link");
    await page.getByLabel("URL").first().fill("https://example.com/shop");
    await expect.poll(() => page.getByTestId("tap-area-0").innerText()).toContain("Opens https://example.com/shop");
    await page.getByRole("button", { name: "Generate image" }).click();
    await page.getByRole("img", { name: "Rich menu image" }).waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published to LINE").waitFor();
    await page.getByRole("button", { name: "Make default" }).click();
    await page.getByText("This menu is now the channel default").waitFor();
    await screenshot(page, "rich-menu-designer");

    const user = sandbox.info.sampleLineUserIds?.[0];
    expect(user).toBeTruthy();
    await page.goto(`${sandbox.info.emulatorUrl}/__emulator/phone/${sandbox.info.lineChannelId}/${user}`);
    await expect.poll(() => page.locator(".chatbar").innerText()).toContain(name);
    expect(await page.locator("img[alt='rich menu']").count()).toBe(1);
    expect(await page.locator(".area").count()).toBe(6);
    expect(await page.locator(".area").first().getAttribute("title")).toContain("https://example.com/shop");
    await screenshot(page, "rich-menu-phone");
  });
});
