// LINE's standard rich-menu layouts (the splits offered by LINE Official Account Manager):
// large 2500×1686 with 6, 4, 3, 2 or 1 areas and compact 2500×843 with 3, 2 or 1.
// Thirds of 2500 px are 833/834/833 so that areas tile the image exactly.
import { MENU_DIMENSIONS, type Bounds, type MenuSize } from "./types";

export interface MenuTemplate {
  id: string;
  size: MenuSize;
  label: string;
  bounds: Bounds[];
}

const W = 2500;
const LH = 1686;
const CH = 843;
const thirds = [0, 833, 1667, 2500];
const col3 = (y: number, h: number): Bounds[] => [0, 1, 2].map((i) => ({ x: thirds[i], y, width: thirds[i + 1] - thirds[i], height: h }));
const col2 = (y: number, h: number): Bounds[] => [
  { x: 0, y, width: 1250, height: h },
  { x: 1250, y, width: 1250, height: h },
];

export const MENU_TEMPLATES: MenuTemplate[] = [
  { id: "large-6", size: "large", label: "Large · 6 areas (3 × 2)", bounds: [...col3(0, 843), ...col3(843, 843)] },
  { id: "large-4", size: "large", label: "Large · 4 areas (2 × 2)", bounds: [...col2(0, 843), ...col2(843, 843)] },
  {
    id: "large-4-top",
    size: "large",
    label: "Large · 4 areas (1 top, 3 below)",
    bounds: [{ x: 0, y: 0, width: W, height: 843 }, ...col3(843, 843)],
  },
  {
    id: "large-3",
    size: "large",
    label: "Large · 3 areas (1 top, 2 below)",
    bounds: [{ x: 0, y: 0, width: W, height: 843 }, ...col2(843, 843)],
  },
  {
    id: "large-3-left",
    size: "large",
    label: "Large · 3 areas (1 left, 2 right)",
    bounds: [
      { x: 0, y: 0, width: 1667, height: LH },
      { x: 1667, y: 0, width: 833, height: 843 },
      { x: 1667, y: 843, width: 833, height: 843 },
    ],
  },
  { id: "large-3-cols", size: "large", label: "Large · 3 areas (3 columns)", bounds: col3(0, LH) },
  { id: "large-2", size: "large", label: "Large · 2 areas (2 columns)", bounds: col2(0, LH) },
  {
    id: "large-2-rows",
    size: "large",
    label: "Large · 2 areas (2 rows)",
    bounds: [
      { x: 0, y: 0, width: W, height: 843 },
      { x: 0, y: 843, width: W, height: 843 },
    ],
  },
  { id: "large-1", size: "large", label: "Large · 1 area", bounds: [{ x: 0, y: 0, width: W, height: LH }] },
  { id: "compact-3", size: "compact", label: "Compact · 3 areas", bounds: col3(0, CH) },
  { id: "compact-2", size: "compact", label: "Compact · 2 areas", bounds: col2(0, CH) },
  {
    id: "compact-2-wide",
    size: "compact",
    label: "Compact · 2 areas (1/3 + 2/3)",
    bounds: [
      { x: 0, y: 0, width: 833, height: CH },
      { x: 833, y: 0, width: 1667, height: CH },
    ],
  },
  { id: "compact-1", size: "compact", label: "Compact · 1 area", bounds: [{ x: 0, y: 0, width: W, height: CH }] },
];

export function findTemplate(id: string): MenuTemplate | undefined {
  return MENU_TEMPLATES.find((t) => t.id === id);
}

export function requireTemplate(id: string): MenuTemplate {
  const t = findTemplate(id);
  if (!t) throw new Error(`Unknown menu template "${id}" (one of ${MENU_TEMPLATES.map((x) => x.id).join(", ")})`);
  return t;
}

/** True when the areas tile the whole image with no overlap (every template must). */
export function tilesExactly(size: MenuSize, bounds: Bounds[]): boolean {
  const { width, height } = MENU_DIMENSIONS[size];
  const area = bounds.reduce((s, b) => s + b.width * b.height, 0);
  if (area !== width * height) return false;
  for (let i = 0; i < bounds.length; i++)
    for (let j = i + 1; j < bounds.length; j++) {
      const a = bounds[i];
      const b = bounds[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) return false;
    }
  return bounds.every((b) => b.x >= 0 && b.y >= 0 && b.x + b.width <= width && b.y + b.height <= height);
}
