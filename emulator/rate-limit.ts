export interface RateLimit {
  max: number;
  windowMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Defaults per line-platform-facts.md §5 (per channel, per endpoint). Anything not listed: 2,000 req/s. */
export const DEFAULT_RATE_LIMITS: Record<string, RateLimit> = {
  multicast: { max: 200, windowMs: SECOND },
  narrowcast: { max: 60, windowMs: HOUR },
  broadcast: { max: 60, windowMs: HOUR },
  getNumberOfSentBroadcastMessages: { max: 60, windowMs: HOUR },
  testWebhookEndpoint: { max: 60, windowMs: HOUR },
  createRichMenu: { max: 100, windowMs: HOUR },
  deleteRichMenu: { max: 100, windowMs: HOUR },
  deleteRichMenuAlias: { max: 100, windowMs: HOUR },
  getRichMenuBatchProgress: { max: 100, windowMs: HOUR },
  richMenuBatch: { max: 3, windowMs: HOUR },
  getWebhookEndpoint: { max: 1000, windowMs: MINUTE },
  setWebhookEndpoint: { max: 1000, windowMs: MINUTE },
  createAudienceGroup: { max: 60, windowMs: MINUTE },
  addAudienceToAudienceGroup: { max: 60, windowMs: MINUTE },
  getAudienceData: { max: 60, windowMs: MINUTE },
  getAudienceGroups: { max: 60, windowMs: MINUTE },
  deleteAudienceGroup: { max: 60, windowMs: MINUTE },
  updateAudienceGroupDescription: { max: 60, windowMs: MINUTE },
  showLoadingAnimation: { max: 100, windowMs: SECOND },
};
export const FALLBACK_RATE_LIMIT: RateLimit = { max: 2000, windowMs: SECOND };

/** Sliding-window-ish limiter: fixed window per (channel, operationId). */
export class RateLimiter {
  private overrides: Record<string, RateLimit | null> = {};
  private windows = new Map<string, { start: number; count: number }>();

  constructor(overrides?: Partial<Record<string, RateLimit>>) {
    if (overrides) this.set(overrides);
  }

  set(overrides: Partial<Record<string, RateLimit | null>>): void {
    for (const [k, v] of Object.entries(overrides)) this.overrides[k] = v ?? null;
    this.windows.clear();
  }

  limitFor(operationId: string): RateLimit | undefined {
    if (operationId in this.overrides) return this.overrides[operationId] ?? undefined;
    return DEFAULT_RATE_LIMITS[operationId] ?? FALLBACK_RATE_LIMIT;
  }

  /** Returns true if allowed (and counts it). */
  hit(channelId: string, operationId: string, now = Date.now()): boolean {
    const lim = this.limitFor(operationId);
    if (!lim) return true;
    const key = channelId + "|" + operationId;
    let w = this.windows.get(key);
    if (!w || now - w.start >= lim.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= lim.max) return false;
    w.count++;
    return true;
  }

  reset(): void {
    this.windows.clear();
  }
}
