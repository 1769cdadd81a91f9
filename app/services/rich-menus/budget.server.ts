// LINE allows 1,000 rich menus per channel and 100 createRichMenu calls per hour per channel
// (shared/reference/line-platform-facts.md §5). We count both before creating, and refuse with a
// message the merchant can act on rather than letting LINE answer 400/429 mid-publish.
import type { Shop } from "@prisma/client";
import { creationsSince } from "~/db/rich-menus.server";
import type { LineRichMenuApi } from "~/adapters/line/rich-menus.server";
import { MenuError } from "./channel.server";

const MAX_MENUS = 1000;
const MAX_CREATIONS_PER_HOUR = 100;

export interface MenuBudget {
  menus: number;
  maxMenus: number;
  creationsThisHour: number;
  maxCreationsPerHour: number;
}

export async function menuBudget(shop: Shop, api: LineRichMenuApi | undefined, now = new Date()): Promise<MenuBudget> {
  const [menus, creations] = await Promise.all([
    api ? api.list().then((l) => l.length) : Promise.resolve(0),
    creationsSince(shop.id, new Date(now.getTime() - 3_600_000)),
  ]);
  return { menus, maxMenus: MAX_MENUS, creationsThisHour: creations, maxCreationsPerHour: MAX_CREATIONS_PER_HOUR };
}

export function assertBudget(b: MenuBudget, needed = 1): void {
  if (b.menus + needed > b.maxMenus)
    throw new MenuError(
      `Your LINE channel already has ${b.menus} of ${b.maxMenus} rich menus. Archive unused menus before publishing another.`,
      "budget-menus",
      { menus: b.menus, max: b.maxMenus },
    );
  if (b.creationsThisHour + needed > b.maxCreationsPerHour)
    throw new MenuError(
      `LINE allows ${b.maxCreationsPerHour} rich-menu creations per hour and ${b.creationsThisHour} were used in the last hour. Try again later.`,
      "budget-hour",
      { max: b.maxCreationsPerHour, used: b.creationsThisHour },
    );
}
