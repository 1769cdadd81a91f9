// Every per-shop settings area, where it is stored, and its one loader and saver (issue 13, "one
// home for settings"; docs/decisions/007-settings-home.md). Code outside app/db/settings/ reads and
// writes settings only through these files: test/unit/settings-home.test.ts fails on a direct read
// of Shop.settings or a direct use of the MessagingPolicy / AssistantSetting tables elsewhere.
//
// Each area file has its zod schema, its defaults (customer-facing texts in the shop's language),
// `load…(shopId)` and `save…(shopId, input)` (validated; JSON areas lock the shop row for the
// read-modify-write), and JSON areas also `read…(shop)` for a shop row already loaded.
import * as abandonedCart from "./abandoned-cart.server";
import * as assistant from "./assistant.server";
import * as attribution from "./attribution.server";
import * as consent from "./consent.server";
import * as lifecycle from "./lifecycle.server";
import * as messagingPolicy from "./messaging-policy.server";
import * as plan from "./plan.server";

export const SETTINGS_AREAS = {
  consent: { storedIn: "Shop.settings.consent", load: consent.loadConsentSettings, save: consent.saveConsentSettings },
  lifecycle: { storedIn: "Shop.settings.lifecycle", load: lifecycle.loadLifecycleSettings, save: lifecycle.saveLifecycleSettings },
  abandonedCart: {
    storedIn: "Shop.settings.abandonedCart",
    load: abandonedCart.loadAbandonedCartSettings,
    save: abandonedCart.saveAbandonedCartSettings,
  },
  plan: { storedIn: "Shop.settings.plan", load: plan.loadPlanSettings, save: plan.savePlanSettings },
  attribution: {
    storedIn: "Shop.settings.attribution",
    load: attribution.loadAttributionSettings,
    save: attribution.saveAttributionSettings,
  },
  messagingPolicy: {
    storedIn: "MessagingPolicy row",
    load: (shopId: number) => messagingPolicy.loadMessagingPolicy({ id: shopId }),
    save: messagingPolicy.saveMessagingPolicy,
  },
  assistant: { storedIn: "AssistantSetting row", load: assistant.loadAssistantSettings, save: assistant.saveAssistantSettings },
} as const;
export type SettingsArea = keyof typeof SETTINGS_AREAS;
