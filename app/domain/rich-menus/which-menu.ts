// "Which menu would this friend see?": the shapes the service answers and the admin shows (Menu
// rules page, friend page). Isomorphic: services fill them, components read them as JSON.

/** A friend a "which menu" search found, with what tells same-named friends apart. */
export interface MenuFriendMatch {
  id: number;
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  followedAt: string | null;
  /** The linked Shopify customer's id, null when not linked. */
  shopifyCustomerId: string | null;
}

/** What "which menu would this friend see" needs to say why, in the admin language. */
export interface WhichMenuWhy {
  wantedRulePosition: number | null;
  wantedMenuName: string | null;
  menuName: string | null;
  heldUntil: string | null;
}
