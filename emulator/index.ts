export { startLineEmulator, RETRY_KEY_TTL_MS } from "./server.js";
export type { LineEmulator, LineEmulatorOptions } from "./server.js";
export { EmulatorState } from "./state.js";
export type {
  Channel,
  EmulatedUser,
  RichMenu,
  DeliveredMessage,
  RequestLogEntry,
  WebhookDelivery,
  Friendship,
  SendKind,
  Quota,
} from "./state.js";
export type { FaultSpec } from "./faults.js";
export type { RateLimit } from "./rate-limit.js";
export { DEFAULT_RATE_LIMITS } from "./rate-limit.js";
export type { WebhookEventInput } from "./webhook.js";
export { sign as signWebhookBody } from "./webhook.js";
export { LineEmulatorClient } from "./client.js";
export { defaultSpecDir } from "./spec-validator.js";
