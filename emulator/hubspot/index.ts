export { startHubSpotStandIn, SEARCH_WINDOW } from "./server.js";
export type { HubSpotStandIn, HubSpotStandInOptions } from "./server.js";
export { HubSpotState } from "./state.js";
export type { StandInContact, StandInList, StandInProperty, HubSpotFaults, RequestLogEntry } from "./state.js";
