// The app's navigation, shared by the embedded NavMenu and the sandbox frame.
export const NAV_ITEMS: Array<{ url: string; label: string }> = [
  { url: "/app", label: "Home" },
  { url: "/app/rich-menus", label: "Rich menus" },
  { url: "/app/menu-rules", label: "Menu rules" },
  { url: "/app/broadcasts", label: "Broadcasts" },
  { url: "/app/dashboard", label: "Dashboard" },
  { url: "/app/automations", label: "Automations" },
  { url: "/app/friends", label: "Friends" },
  { url: "/app/segments", label: "Segments" },
  { url: "/app/tags", label: "Tags" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/sync-health", label: "Sync health" },
];
