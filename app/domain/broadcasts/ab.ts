// A/B split (pure): deterministic by friend id, so re-preparing gives the same groups.
export type AbConfig = {
  variants: string[];
  holdoutPercent: number;
  metric: "click" | "order";
  sendWinnerToHoldout: boolean;
  pickAfterHours: number;
};

/** FNV-1a of "<seed>:<friendId>", then a murmur3 finaliser → [0, 1). */
function unitHash(friendId: number, seed: number): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${friendId}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Avalanche (murmur3 fmix32): plain FNV-1a barely moves the high bits when only the last digit
  // changes, so consecutive friend ids landed in the same group (60 ids → one variant + holdout).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

/** Variant index, or -1 for the holdout. */
export function assignVariant(friendId: number, seed: number, variants: number, holdoutPercent: number): number {
  const u = unitHash(friendId, seed);
  const holdout = Math.min(Math.max(holdoutPercent, 0), 100) / 100;
  if (u < holdout) return -1;
  return Math.min(variants - 1, Math.floor(((u - holdout) / (1 - holdout)) * variants));
}

export type VariantResult = { variant: string; recipients: number; clicks: number; orders: number };

export function pickWinner(results: VariantResult[], metric: "click" | "order"): string | null {
  let best: { v: string; rate: number } | null = null;
  for (const r of results) {
    if (r.recipients === 0) continue;
    const rate = (metric === "click" ? r.clicks : r.orders) / r.recipients;
    if (!best || rate > best.rate) best = { v: r.variant, rate };
  }
  return best?.v ?? null;
}
