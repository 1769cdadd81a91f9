// Matching HubSpot contacts / Klaviyo profiles to Shopify customers and LINE friends
// (docs/integrations.md "Matching"), and keeping segment memberships in step with contact data.
//
// For each IntegrationContact:
//   emailHash / phoneHash = keyed hashes of the contact's email / phone (app/domain/integrations/identity.ts)
//   customerId = the shop's Customer with the same emailHash, else the same phoneHash (lowest id on a tie)
//   friendId   = the shop's Friend whose lineUserId is the contact's lineUserId (the merchant's LINE
//                user id property), else the friend linked to that customer
// The match is a function of the contact, customers and friends only, so every trigger re-runs it
// for the contacts it may have moved, and running it twice changes nothing:
//   integration.contacts-synced → those contacts (their data changed too: their friends re-evaluate)
//   friend.linked / friend.unlinked → contacts of that friend, of its customer or its LINE user id
//   customer.facts-changed → contacts of that customer or carrying its hashes
// Friends whose contacts changed get segments.reevaluate-friends (batched per shop), so entered/left transitions happen
// as for Shopify facts.
import type { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { addPendingFriends } from "~/adapters/queue/friend-batches.server";
import { identityKey } from "~/adapters/crypto.server";
import { childLogger } from "~/adapters/logger.server";
import { emailHash, phoneHash } from "~/domain/integrations/identity";
import type { Provider } from "~/domain/integrations/types";

/** Re-match the shop's contacts selected by `where`; returns the friends whose contacts moved (old and new). */
async function rematch(shopId: number, where: Prisma.IntegrationContactWhereInput): Promise<{ matched: number; friends: Set<number> }> {
  const contacts = await db().integrationContact.findMany({
    where: { ...where, shopId },
    select: { id: true, email: true, phone: true, lineUserId: true, emailHash: true, phoneHash: true, customerId: true, friendId: true },
  });
  const friends = new Set<number>();
  if (!contacts.length) return { matched: 0, friends };
  const key = identityKey();
  const hashed = contacts.map((c) => ({ ...c, e: emailHash(c.email, key), p: phoneHash(c.phone, key) }));
  const emails = [...new Set(hashed.map((c) => c.e).filter((h): h is string => h !== null))];
  const phones = [...new Set(hashed.map((c) => c.p).filter((h): h is string => h !== null))];
  const customers =
    emails.length || phones.length
      ? await db().customer.findMany({
          where: { shopId, OR: [{ emailHash: { in: emails } }, { phoneHash: { in: phones } }] },
          select: { id: true, emailHash: true, phoneHash: true },
          orderBy: { id: "asc" },
        })
      : [];
  const byEmail = new Map<string, number>();
  const byPhone = new Map<string, number>();
  for (const c of customers) {
    if (c.emailHash && !byEmail.has(c.emailHash)) byEmail.set(c.emailHash, c.id);
    if (c.phoneHash && !byPhone.has(c.phoneHash)) byPhone.set(c.phoneHash, c.id);
  }
  const customerOf = (c: (typeof hashed)[number]) => (c.e && byEmail.get(c.e)) || (c.p && byPhone.get(c.p)) || null;
  const lineUserIds = [...new Set(hashed.map((c) => c.lineUserId).filter((u): u is string => Boolean(u)))];
  const customerIds = [...new Set(hashed.map(customerOf).filter((c): c is number => c !== null))];
  const [byLine, byCustomer] = await Promise.all([
    lineUserIds.length
      ? db().friend.findMany({ where: { shopId, lineUserId: { in: lineUserIds } }, select: { id: true, lineUserId: true } })
      : [],
    customerIds.length
      ? db().friend.findMany({ where: { shopId, customerId: { in: customerIds } }, select: { id: true, customerId: true } })
      : [],
  ]);
  const friendByLine = new Map(byLine.map((f) => [f.lineUserId, f.id]));
  const friendByCustomer = new Map(byCustomer.map((f) => [f.customerId!, f.id]));
  let matched = 0;
  for (const c of hashed) {
    const customerId = customerOf(c);
    const friendId =
      (c.lineUserId ? friendByLine.get(c.lineUserId) : undefined) ?? (customerId ? friendByCustomer.get(customerId) : undefined) ?? null;
    if (c.friendId !== null) friends.add(c.friendId);
    if (friendId !== null) friends.add(friendId);
    if (c.emailHash === c.e && c.phoneHash === c.p && c.customerId === customerId && c.friendId === friendId) continue;
    await db().integrationContact.update({
      where: { id: c.id },
      data: { emailHash: c.e, phoneHash: c.p, customerId, friendId },
    });
    matched++;
  }
  return { matched, friends };
}

async function reevaluate(shopId: number, friendIds: Iterable<number>): Promise<void> {
  await addPendingFriends("segments.reevaluate-friends", shopId, [...friendIds]);
}

/**
 * Job integrations.match-contacts (event integration.contacts-synced): match the synced contacts and
 * re-evaluate every friend they belong to, before or after — their properties or list memberships
 * changed even when the match did not. Contacts not stored (deleted by the page, or not yet
 * synced) are skipped; `deletedFriendIds` are the friends of the ones the page deleted.
 */
export async function matchSyncedContacts(
  shopId: number,
  provider: Provider,
  externalIds: string[],
  deletedFriendIds: number[] = [],
): Promise<void> {
  const { matched, friends } = await rematch(shopId, { provider, externalId: { in: externalIds } });
  for (const f of deletedFriendIds) friends.add(f);
  await reevaluate(shopId, friends);
  childLogger({ shop: shopId }).info(
    { provider, contacts: externalIds.length, matched, friends: friends.size },
    "integration contacts matched",
  );
}

/**
 * Job integrations.match-friend (friend.linked / friend.unlinked): the friend's customer changed, so
 * contacts may move to or from it. Every friend whose contacts moved is re-evaluated here, this one
 * too: the events' own segment refresh may have run before the contacts moved.
 */
export async function matchFriendContacts(shopId: number, friendId: number): Promise<void> {
  const friend = await db().friend.findFirst({ where: { id: friendId, shopId }, select: { lineUserId: true, customerId: true } });
  const or: Prisma.IntegrationContactWhereInput[] = [{ friendId }];
  if (friend?.customerId) or.push({ customerId: friend.customerId });
  if (friend?.lineUserId) or.push({ lineUserId: friend.lineUserId });
  const { friends } = await rematch(shopId, { OR: or });
  await reevaluate(shopId, friends);
}

/**
 * Job integrations.match-customer (customer.facts-changed): a new or updated customer may now carry
 * a contact's email / phone hash; an erased customer's contacts lose their match.
 */
export async function matchCustomerContacts(shopId: number, shopifyCustomerId: bigint): Promise<void> {
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true, emailHash: true, phoneHash: true },
  });
  let where: Prisma.IntegrationContactWhereInput;
  if (customer) {
    const or: Prisma.IntegrationContactWhereInput[] = [{ customerId: customer.id }];
    if (customer.emailHash) or.push({ emailHash: customer.emailHash });
    if (customer.phoneHash) or.push({ phoneHash: customer.phoneHash });
    where = { OR: or };
  } else {
    // Erased: contacts still pointing at a customer row that no longer exists.
    const orphans = await db().$queryRaw<Array<{ id: number }>>`
      SELECT ic.id FROM "IntegrationContact" ic
       WHERE ic."shopId" = ${shopId} AND ic."customerId" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c.id = ic."customerId" AND c."shopId" = ic."shopId")`;
    if (!orphans.length) return;
    where = { id: { in: orphans.map((o) => o.id) } };
  }
  const { friends } = await rematch(shopId, where);
  await reevaluate(shopId, friends);
}

/** Job integrations.reevaluate-friends (integration.disconnected): the provider's rows are gone. */
export async function reevaluateFriends(shopId: number, friendIds: number[]): Promise<void> {
  await reevaluate(shopId, new Set(friendIds));
}

export interface MatchCounts {
  /** Contacts / profiles stored for the provider. */
  contacts: number;
  /** Of those, matched to a Shopify customer. */
  matchedCustomers: number;
  /** Distinct LINE friends with at least one matched contact. */
  matchedFriends: number;
}

/** For the integrations admin page. Shop-scoped. */
export async function matchCounts(shopId: number, provider: Provider): Promise<MatchCounts> {
  const [row] = await db().$queryRaw<Array<{ contacts: bigint; customers: bigint; friends: bigint }>>`
    SELECT count(*) AS contacts, count("customerId") AS customers, count(DISTINCT "friendId") AS friends
      FROM "IntegrationContact" WHERE "shopId" = ${shopId} AND provider = ${provider}`;
  return { contacts: Number(row!.contacts), matchedCustomers: Number(row!.customers), matchedFriends: Number(row!.friends) };
}
