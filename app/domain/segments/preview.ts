// What a segment preview shows (the editor's panel, the assistant's proposal): isomorphic, so the
// services that fill it and the components that read it as JSON share one shape.

/** One of the newest matching friends. */
export interface PreviewSample {
  friendId: number;
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  shopifyCustomerId: string | null;
  linked: boolean;
  followedAt: Date | null;
}

/** Friends who match and can receive marketing sends, and those left out (blocked first, then opted out). */
export interface PreviewCounts {
  count: number;
  excluded: { blocked: number; optedOut: number };
}

/** What the preview panel lists of a sample friend. */
export type PreviewSampleView = Pick<PreviewSample, "friendId" | "lineUserId" | "displayName" | "pictureUrl" | "linked">;
