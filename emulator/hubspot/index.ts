export { startHubSpotStandIn, SEARCH_WINDOW } from "./server.js";
export type { HubSpotStandIn, HubSpotStandInOptions } from "./server.js";
export { HubSpotState } from "./state.js";
export type { StandInContact, StandInList, StandInProperty, HubSpotFaults, RequestLogEntry } from "./state.js";
export { seedHubSpotStandIn, SANDBOX_HUBSPOT_TOKEN, SANDBOX_LINE_USER_ID_PROPERTY } from "./seed.js";
export type { HubSpotSeedOptions, HubSpotSeedResult } from "./seed.js";
