// Rich-menu images: generation from area labels/icons/brand colours (SVG → PNG through sharp's
// librsvg + pango, so text is shaped with fontconfig fonts: Noto Sans CJK JP/TC and the TLWG Thai
// fonts), and validation/fixing of uploads against LINE's image rules (JPEG or PNG, 800–2500 px
// wide, ≥250 px high, width/height ≥1.45, ≤1 MB — Messaging API reference "Requirements for rich
// menu image"; shared/reference/line-platform-facts.md §5).
import sharp from "sharp";
import { imageSize } from "image-size";
import { MENU_DIMENSIONS, type IconName, type MenuArea, type MenuSize, type MenuStyle } from "~/domain/rich-menus/types";
import { HEX_COLOUR } from "~/domain/rich-menus/validate-menu";

const MAX_IMAGE_BYTES = 1024 * 1024;
const FONT_FAMILY = "Noto Sans CJK JP, Noto Sans CJK TC, Loma, Garuda, sans-serif";

export type ImageContentType = "image/png" | "image/jpeg";

export interface ImageProblem {
  code: "type" | "bytes" | "width" | "height" | "ratio" | "unreadable";
  message: string;
}

export interface ImageCheck {
  ok: boolean;
  contentType: ImageContentType | null;
  width: number | null;
  height: number | null;
  bytes: number;
  problems: ImageProblem[];
}

function sniff(buf: Buffer): ImageContentType | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "image/jpeg";
  return null;
}

/** Checks an image against LINE's rules (and, when given, the menu's exact size) before anything is sent. */
export function checkMenuImage(buf: Buffer, expected?: MenuSize): ImageCheck {
  const problems: ImageProblem[] = [];
  const contentType = sniff(buf);
  if (!contentType) problems.push({ code: "type", message: "The image must be a JPEG or PNG file" });
  let width: number | null = null;
  let height: number | null = null;
  try {
    const d = imageSize(new Uint8Array(buf));
    width = d.width ?? null;
    height = d.height ?? null;
  } catch {
    problems.push({ code: "unreadable", message: "The image could not be read" });
  }
  if (buf.length > MAX_IMAGE_BYTES)
    problems.push({ code: "bytes", message: `The image is ${(buf.length / 1048576).toFixed(2)} MB; LINE accepts at most 1 MB` });
  if (width !== null && height !== null) {
    if (width < 800 || width > 2500) problems.push({ code: "width", message: `Width is ${width} px; LINE needs 800–2500 px` });
    if (height < 250) problems.push({ code: "height", message: `Height is ${height} px; LINE needs at least 250 px` });
    if (width / height < 1.45)
      problems.push({ code: "ratio", message: `Width ÷ height is ${(width / height).toFixed(2)}; LINE needs at least 1.45` });
    if (expected) {
      const dim = MENU_DIMENSIONS[expected];
      if (width * dim.height !== height * dim.width)
        problems.push({
          code: "ratio",
          message: `A ${expected} menu needs a ${dim.width}×${dim.height} image (or the same proportions); this one is ${width}×${height}`,
        });
    }
  }
  return { ok: problems.length === 0, contentType, width, height, bytes: buf.length, problems };
}

/**
 * On request: resize to the menu's size (cover, centred) and compress until ≤1 MB — for PNG input a
 * palette PNG first (flat artwork stays crisp), then JPEG at decreasing quality.
 */
export async function fixMenuImage(buf: Buffer, size: MenuSize): Promise<{ image: Buffer; contentType: ImageContentType }> {
  const dim = MENU_DIMENSIONS[size];
  const resized = sharp(buf)
    .rotate()
    .resize(dim.width, dim.height, { fit: "cover", position: "centre" })
    .flatten({ background: "#ffffff" });
  // Photos (JPEG in) stay JPEG: a palette PNG of a photo is slow to make and rarely small.
  if (sniff(buf) === "image/png") {
    const png = await resized.clone().png({ palette: true, compressionLevel: 9, effort: 4 }).toBuffer();
    if (png.length <= MAX_IMAGE_BYTES) return { image: png, contentType: "image/png" };
  }
  for (const quality of [85, 70, 55, 40, 30]) {
    const jpg = await resized.clone().jpeg({ quality }).toBuffer();
    if (jpg.length <= MAX_IMAGE_BYTES) return { image: jpg, contentType: "image/jpeg" };
  }
  throw new Error("The image could not be compressed below 1 MB");
}

// 24×24 icon paths (simple outlines), scaled into each area.
const ICONS: Record<Exclude<IconName, "none">, string> = {
  cart: "M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 7H6.2M9 20a1.5 1.5 0 1 0 0-.01M17 20a1.5 1.5 0 1 0 0-.01",
  bag: "M5 8h14l-1 13H6L5 8zM9 8V6a3 3 0 0 1 6 0v2",
  star: "M12 3l2.8 5.8 6.2.9-4.5 4.4 1.1 6.2L12 17.4l-5.6 2.9 1.1-6.2L3 9.7l6.2-.9L12 3z",
  chat: "M4 5h16v11H9l-5 4V5z",
  truck: "M2 6h12v10H2zM14 10h4l3 3v3h-7M6 19a2 2 0 1 0 0-.01M17 19a2 2 0 1 0 0-.01",
  gift: "M3 9h18v4H3zM5 13h14v8H5zM12 9v12M12 9c-2-4-6-4-6-1s6 1 6 1c0 0 6 2 6-1s-4-3-6 1",
  home: "M3 11l9-8 9 8M5 10v10h14V10",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
  repeat: "M4 12a8 8 0 0 1 14-5l2-2v6h-6l2.5-2.5A5.5 5.5 0 0 0 6.5 12M20 12a8 8 0 0 1-14 5l-2 2v-6h6l-2.5 2.5A5.5 5.5 0 0 0 17.5 12",
  tag: "M3 12V3h9l9 9-9 9-9-9zM7.5 7.5a1 1 0 1 0 0-.01",
};

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string);
const COLOUR = HEX_COLOUR;
const colour = (c: string | undefined, fallback: string) => (c && COLOUR.test(c) ? c : fallback);

function menuSvg(size: MenuSize, areas: Array<Pick<MenuArea, "label" | "bounds" | "icon">>, style: MenuStyle = {}): string {
  const { width, height } = MENU_DIMENSIONS[size];
  const bg = colour(style.background, "#06c755");
  const fg = colour(style.foreground, "#ffffff");
  const accent = colour(style.accent, "#ffffff");
  const palette = (style.palette ?? []).filter((c) => COLOUR.test(c));
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="${bg}"/>`];
  areas.forEach((a, i) => {
    const b = a.bounds;
    const fill = palette.length ? palette[i % palette.length] : bg;
    const inset = 6;
    parts.push(
      `<rect x="${b.x + inset}" y="${b.y + inset}" width="${b.width - 2 * inset}" height="${b.height - 2 * inset}" rx="28" fill="${fill}" stroke="${accent}" stroke-opacity="0.35" stroke-width="4"/>`,
    );
    const cx = b.x + b.width / 2;
    const unit = Math.min(b.width, b.height);
    const hasIcon = a.icon && a.icon !== "none";
    const fontSize = Math.round(Math.max(48, Math.min(120, unit / 6, (b.width * 0.85) / Math.max(1, [...a.label].length) / 0.95)));
    if (hasIcon) {
      const s = unit * 0.32;
      const scale = s / 24;
      const iy = b.y + b.height / 2 - s * 0.85;
      parts.push(
        `<g transform="translate(${cx - s / 2} ${iy}) scale(${scale})" fill="none" stroke="${accent}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="${ICONS[a.icon as Exclude<IconName, "none">]}"/></g>`,
      );
    }
    const ty = hasIcon ? b.y + b.height / 2 + unit * 0.22 : b.y + b.height / 2;
    parts.push(
      `<text x="${cx}" y="${ty}" font-family="${FONT_FAMILY}" font-size="${fontSize}" font-weight="bold" fill="${fg}" text-anchor="middle" dominant-baseline="central">${escapeXml(a.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
}

/** Renders the menu image server-side; always within LINE's limits (checked before returning). */
export async function generateMenuImage(
  size: MenuSize,
  areas: Array<Pick<MenuArea, "label" | "bounds" | "icon">>,
  style: MenuStyle = {},
): Promise<{ image: Buffer; contentType: ImageContentType }> {
  const svg = Buffer.from(menuSvg(size, areas, style));
  let out: Buffer = await sharp(svg, { density: 72 }).png({ palette: true, compressionLevel: 9, effort: 7 }).toBuffer();
  let contentType: ImageContentType = "image/png";
  if (out.length > MAX_IMAGE_BYTES) ({ image: out, contentType } = await fixMenuImage(out, size));
  const check = checkMenuImage(out, size);
  if (!check.ok) throw new Error(`Generated image breaks LINE's rules: ${check.problems.map((p) => p.message).join("; ")}`);
  return { image: out, contentType };
}
