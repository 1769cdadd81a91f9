// The shop's attribution settings (Shop.settings.attribution), read the same way by ROI attribution
// and by abandoned-cart recovery.

/** Days after a click (or a send) in which an order is attributed to it; 7 unless the shop set it. */
export function attributionWindowDays(settings: unknown): number {
  const d = (settings as { attribution?: { windowDays?: number } } | null)?.attribution?.windowDays;
  return typeof d === "number" && d > 0 ? d : 7;
}

/** Whether orders without a click (assisted by a send) are attributed too; on unless turned off. */
export function assistedAttributionEnabled(settings: unknown): boolean {
  return (settings as { attribution?: { assisted?: boolean } } | null)?.attribution?.assisted !== false;
}
