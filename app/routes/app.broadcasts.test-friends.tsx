// Test friends (resource route for the composer's picker): GET ?query= searches friends by name;
// POST {friendId, testFriend: "true" | "false"} adds or removes one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listTestFriends, searchFriends, setTestFriend } from "~/services/broadcasts/test-send.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  return json({ friends: await searchFriends(s.id, new URL(request.url).searchParams.get("query") ?? "") });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const form = await request.formData();
  const friendId = Number(form.get("friendId"));
  if (!Number.isInteger(friendId) || !(await setTestFriend(s.id, friendId, form.get("testFriend") === "true")))
    return json({ ok: false, testFriends: await listTestFriends(s.id) }, { status: 404 });
  return json({ ok: true, testFriends: await listTestFriends(s.id) });
};
