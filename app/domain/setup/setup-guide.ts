// The Home page's setup guide: the steps a new merchant takes, in order, and which are done —
// as Built for Shopify apps show onboarding (https://shopify.dev/docs/apps/design/user-experience/onboarding).

const SETUP_STEPS = ["connectLine", "linkFriends", "firstSegment", "richMenu", "automation"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** What the shop has done so far (counts from the database). */
export interface SetupFacts {
  lineConnected: boolean;
  linkedFriends: number;
  segments: number;
  publishedMenus: number;
  automationsOn: number;
}

export interface SetupGuide {
  steps: Array<{ id: SetupStep; done: boolean; url: string }>;
  done: number;
  total: number;
  /** The first step not done yet (the one to show open), or null when setup is complete. */
  next: SetupStep | null;
}

const URL: Record<SetupStep, string> = {
  connectLine: "/app/settings",
  linkFriends: "/app/friends",
  firstSegment: "/app/segments/new",
  richMenu: "/app/rich-menus",
  automation: "/app/automations",
};

export function setupGuide(f: SetupFacts): SetupGuide {
  const done: Record<SetupStep, boolean> = {
    connectLine: f.lineConnected,
    linkFriends: f.linkedFriends > 0,
    firstSegment: f.segments > 0,
    richMenu: f.publishedMenus > 0,
    automation: f.automationsOn > 0,
  };
  const steps = SETUP_STEPS.map((id) => ({ id, done: done[id], url: URL[id] }));
  return { steps, done: steps.filter((s) => s.done).length, total: steps.length, next: steps.find((s) => !s.done)?.id ?? null };
}
