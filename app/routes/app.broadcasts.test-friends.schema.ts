// The composer's test-friend picker (resource route): the search and the add/remove form.
import { z } from "zod";
import { formId, formText } from "~/domain/forms/parse";

/** GET ?query= — a name fragment; longer input than any display name is cut, not refused. */
export const TestFriendSearch = z.object({ query: formText.transform((q) => q.slice(0, 100)) });

/** POST — add (`testFriend=true`) or remove (`false`) one friend; whether it is this shop's is setTestFriend's check. */
export const TestFriendForm = z.object({
  friendId: formId,
  testFriend: formText.pipe(z.enum(["true", "false"], "forms.errors.invalidChoice")).transform((v) => v === "true"),
});
