// Friends pages' forms: the list (unlink, CSV import), a friend's page (tags, unlink, mark as done) and
// "Needs reply" (mark as done). Messages are admin i18n keys; the services check the friend and tag
// ids belong to the shop.
import { z } from "zod";
import { formId, formText } from "~/domain/forms/parse";

/** A friend the page listed: refused with "no longer exists" when it is not a friend id at all. */
const friendId = formText.pipe(
  z
    .string()
    .regex(/^0*[1-9]\d{0,9}$/, "friends.errors.noFriend")
    .transform(Number)
    .pipe(z.number().max(2_147_483_647, "friends.errors.noFriend")),
);

/** Friends list (app.friends.tsx). The CSV file itself is read with formFile. */
export const FriendsForm = z.discriminatedUnion(
  "intent",
  [z.object({ intent: z.literal("unlink"), friendId: friendId }), z.object({ intent: z.literal("import") })],
  "friends.errors.unknown",
);

/** A friend's page (app.friends_.$id.tsx); the friend is the page's own. */
export const FriendPageForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add-tag"), tagId: formId }),
    z.object({ intent: z.literal("remove-tag"), tagId: formId }),
    z.object({ intent: z.literal("unlink") }),
    z.object({ intent: z.literal("mark-replied") }),
  ],
  "friends.errors.unknown",
);

/** Needs reply (app.friends_.needs-reply.tsx): one row's "Mark as done". */
export const NeedsReplyForm = z.object({
  intent: z.literal("mark-replied", "friends.errors.unknown"),
  friendId: friendId,
});
