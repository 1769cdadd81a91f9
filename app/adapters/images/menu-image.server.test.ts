import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { checkMenuImage, fixMenuImage, generateMenuImage } from "./menu-image.server";
import { requireTemplate } from "~/domain/rich-menus/templates";

describe("menu images", () => {
  it("generates a LINE-valid PNG with Japanese, Traditional Chinese and Thai labels", async () => {
    const t = requireTemplate("large-6");
    const labels = ["ショップ", "購物車", "สั่งซื้ออีกครั้ง", "Order status", "会員ランク", "Talk to us"];
    const icons = ["bag", "cart", "repeat", "truck", "star", "chat"] as const;
    const { image, contentType } = await generateMenuImage(
      "large",
      t.bounds.map((bounds, i) => ({ bounds, label: labels[i], icon: icons[i] })),
      { background: "#1a1a2e", foreground: "#ffffff", palette: ["#e94560", "#0f3460"] },
    );
    expect(contentType).toBe("image/png");
    const check = checkMenuImage(image, "large");
    expect(check).toMatchObject({ ok: true, width: 2500, height: 1686 });
    expect(image.length).toBeLessThanOrEqual(1024 * 1024);
    // Text was actually drawn: the area's label region is not a flat colour.
    const stats = await sharp(image).extract({ left: 100, top: 300, width: 600, height: 300 }).stats();
    expect(stats.channels[0].stdev).toBeGreaterThan(5);
  });

  it("generates compact menus", async () => {
    const { image } = await generateMenuImage(
      "compact",
      requireTemplate("compact-3").bounds.map((bounds) => ({ bounds, label: "เมนู" })),
    );
    expect(checkMenuImage(image, "compact")).toMatchObject({ ok: true, width: 2500, height: 843 });
  });

  it.each<[string, () => Promise<Buffer>, string[]]>([
    [
      "GIF",
      () =>
        sharp({ create: { width: 2500, height: 1686, channels: 3, background: "#f00" } })
          .gif()
          .toBuffer(),
      ["type"],
    ],
    [
      "too narrow",
      () =>
        sharp({ create: { width: 700, height: 250, channels: 3, background: "#f00" } })
          .png()
          .toBuffer(),
      ["width"],
    ],
    [
      "too square",
      () =>
        sharp({ create: { width: 1000, height: 1000, channels: 3, background: "#f00" } })
          .png()
          .toBuffer(),
      ["ratio"],
    ],
    [
      "over 1 MB",
      () => {
        const raw = Buffer.alloc(2500 * 1686 * 3);
        for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
        return sharp(raw, { raw: { width: 2500, height: 1686, channels: 3 } })
          .png({ compressionLevel: 0 })
          .toBuffer();
      },
      ["bytes"],
    ],
  ])("refuses %s before anything is sent", async (_n, make, codes) => {
    const check = checkMenuImage(await make());
    expect(check.ok).toBe(false);
    for (const c of codes) expect(check.problems.map((p) => p.code)).toContain(c);
  });

  it("fixes an oversized, wrongly proportioned photo on request", async () => {
    const raw = Buffer.alloc(1800 * 1800 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
    const photo = await sharp(raw, { raw: { width: 1800, height: 1800, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(checkMenuImage(photo).ok).toBe(false);
    const fixed = await fixMenuImage(photo, "large");
    expect(checkMenuImage(fixed.image, "large")).toMatchObject({ ok: true, width: 2500, height: 1686 });
  });
});
