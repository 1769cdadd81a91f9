// Which tracked-link clicks count (issue 9 item 10: clicks must not be inflatable to swing an A/B
// winner). A click counts once per (link, visitor) per click window; crawlers (link previews, search
// bots — detected with `isbot`) do not count at all. The visitor is the signed friend when the link
// carries a valid friend token, else an anonymous key the service derives from the client address
// and user agent (so one browser hammering a multicast link counts once).
import { isbot } from "isbot";

/** Length of a click window: repeats by the same visitor within one window count once. */
export const CLICK_WINDOW_MS = 24 * 3600_000;

/** The window number of an instant (windows are aligned to the Unix epoch, UTC). */
export function clickWindow(now: Date): number {
  return Math.floor(now.getTime() / CLICK_WINDOW_MS);
}

/** Whether a click with this User-Agent is a person's (a missing one is treated as a browser). */
export function isHumanClick(userAgent: string | null | undefined): boolean {
  return !isbot(userAgent ?? "");
}

/** The visitor key of an identified friend. */
export function friendVisitor(friendId: number): string {
  return `f:${friendId}`;
}
