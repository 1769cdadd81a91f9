// Test friends (resource route for the composer's picker): GET ?query= searches friends by name;
// POST {friendId, testFriend: "true" | "false"} adds or removes one (schemas: app.broadcasts.test-friends.schema.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { parseForm, parseSearchParams, type FormErrors } from "~/domain/forms/parse";
import { listTestFriends, searchFriends, setTestFriend } from "~/services/broadcasts/test-send.server";
import { TestFriendForm, TestFriendSearch } from "./app.broadcasts.test-friends.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const parsed = parseSearchParams(TestFriendSearch, request);
  return json({ friends: await searchFriends(s.id, parsed.ok ? parsed.data.query : "") });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const parsed = parseForm(TestFriendForm, await request.formData());
  if (!parsed.ok) return json({ ok: false, errors: parsed.errors, testFriends: await listTestFriends(s.id) }, { status: 422 });
  // Another shop's friend, or one that no longer exists.
  if (!(await setTestFriend(s.id, parsed.data.friendId, parsed.data.testFriend)))
    return json(
      { ok: false, errors: { friendId: "broadcasts.test.errors.friendNotFound" } as FormErrors, testFriends: await listTestFriends(s.id) },
      { status: 404 },
    );
  return json({ ok: true, errors: {} as FormErrors, testFriends: await listTestFriends(s.id) });
};
