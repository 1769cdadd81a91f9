// The app's navigation, shared by the embedded NavMenu and the sandbox frame. Ordered the way a
// merchant works: know the audience, act on it, then look after the setup.
export const NAV_ITEMS: Array<{ url: string; label: string }> = [
  { url: "/app", label: "Home" },
  { url: "/app/dashboard", label: "Dashboard" },
  { url: "/app/friends", label: "Friends" },
  { url: "/app/segments", label: "Segments" },
  { url: "/app/tags", label: "Tags" },
  { url: "/app/broadcasts", label: "Broadcasts" },
  { url: "/app/automations", label: "Automations" },
  { url: "/app/rich-menus", label: "Rich menus" },
  { url: "/app/menu-rules", label: "Menu rules" },
  { url: "/app/sync-health", label: "Sync health" },
  { url: "/app/settings", label: "Settings" },
];
