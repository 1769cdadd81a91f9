export { startKlaviyoStandIn, parseFilter, KLAVIYO_REVISION } from "./server.js";
export type { KlaviyoStandIn, KlaviyoStandInOptions, KlaviyoFault } from "./server.js";
export { KlaviyoState } from "./state.js";
export type { Profile, Group, StoredEvent, RequestLogEntry, ProfileAttributes } from "./state.js";
export { seedKlaviyoStandIn } from "./seed.js";
export type { KlaviyoSeedOptions, KlaviyoSeedResult } from "./seed.js";
export { loadKlaviyoSpec, defaultKlaviyoSpecDir } from "./spec.js";
