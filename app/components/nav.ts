// The app's navigation, shared by the embedded NavMenu and the sandbox frame. Ordered the way a
// merchant works: know the audience, act on it, then look after the setup.
export const NAV_ITEMS = [
  { url: "/app", labelKey: "nav.home" },
  { url: "/app/dashboard", labelKey: "nav.dashboard" },
  { url: "/app/friends", labelKey: "nav.friends" },
  { url: "/app/segments", labelKey: "nav.segments" },
  { url: "/app/tags", labelKey: "nav.tags" },
  { url: "/app/broadcasts", labelKey: "nav.broadcasts" },
  { url: "/app/automations", labelKey: "nav.automations" },
  { url: "/app/rich-menus", labelKey: "nav.richMenus" },
  { url: "/app/menu-rules", labelKey: "nav.menuRules" },
  { url: "/app/integrations", labelKey: "nav.integrations" },
  { url: "/app/sync-health", labelKey: "nav.syncHealth" },
  { url: "/app/settings", labelKey: "nav.settings" },
] as const satisfies ReadonlyArray<{ url: string; labelKey: `nav.${string}` }>;
