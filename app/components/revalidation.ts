// Which client requests make Remix reload the page's loaders. Remix revalidates every loader after
// any fetcher submit (https://remix.run/docs/en/main/route/should-revalidate); a read-only POST — the
// segment editor's live preview, sent on each edit — changes nothing, so it must not reload the app
// frame and the editor each time.
import type { ShouldRevalidateFunction } from "@remix-run/react";

/** POST endpoints that only read (their answers are shown by their fetcher, nothing else changes). */
const READ_ONLY_ACTIONS = ["/app/segments/preview"] as const;

/** `shouldRevalidate` for routes that stay on screen while a read-only action runs. */
export const skipReadOnlyActions: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) => {
  if (formAction && (READ_ONLY_ACTIONS as readonly string[]).includes(new URL(formAction, "http://app.invalid").pathname)) return false;
  return defaultShouldRevalidate;
};
