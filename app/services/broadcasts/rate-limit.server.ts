// Per-channel token bucket for multicast (LINE: 200 requests/s per channel). In-process: with several
// worker processes, each gets its share via BROADCAST_MULTICAST_RPS-style tuning; LINE's 429 is the
// backstop (retryable, Bull backs off).
const buckets = new Map<string, { tokens: number; at: number }>();

export async function takeToken(key: string, perSecond: number): Promise<void> {
  for (;;) {
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / perSecond) * 1000)));
  }
}
