// One customer's facts, products, checkouts, LINE link and friend, as plain JSON. Used by
// `customer:show`, the customers/data_request export and (later) the admin UI.
import { db } from "~/db.server";
import { checkoutState } from "~/domain/customers/facts";

export type CustomerView = NonNullable<Awaited<ReturnType<typeof getCustomerView>>>;

export async function getCustomerView(shopId: number, shopifyCustomerId: bigint, now = new Date()) {
  const customer = await db().customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  if (!customer) return null;
  const [products, checkouts, friend, rebuys] = await Promise.all([
    db().customerProduct.findMany({ where: { shopId, shopifyCustomerId }, orderBy: { productId: "asc" } }),
    db().checkout.findMany({ where: { shopId, shopifyCustomerId }, orderBy: { shopifyCreatedAt: "asc" } }),
    db().friend.findFirst({ where: { shopId, customerId: customer.id } }),
    db().productRebuy.findMany({
      where: {
        shopId,
        productId: {
          in: (await db().customerProduct.findMany({ where: { shopId, shopifyCustomerId }, select: { productId: true } })).map(
            (p) => p.productId,
          ),
        },
      },
    }),
  ]);
  const median = new Map(rebuys.map((r) => [String(r.productId), r.medianIntervalDays]));
  return {
    customer: {
      shopifyCustomerId: String(customer.shopifyCustomerId),
      tags: customer.tags,
      emailMarketingState: customer.emailMarketingState,
      smsMarketingState: customer.smsMarketingState,
      locale: customer.locale,
      purchaseCount: customer.purchaseCount,
      firstPurchaseAt: customer.firstPurchaseAt,
      lastPurchaseAt: customer.lastPurchaseAt,
      amountSpent: customer.amountSpent.toFixed(2),
      firstPurchaseChannel: customer.firstPurchaseChannel,
      abandonedCheckoutAt: customer.abandonedCheckoutAt,
      lastDeliveredAt: customer.lastDeliveredAt,
      shopifyUpdatedAt: customer.shopifyUpdatedAt,
      factsUpdatedAt: customer.factsUpdatedAt,
    },
    products: products.map((p) => ({
      productId: String(p.productId),
      firstPurchasedAt: p.firstPurchasedAt,
      lastPurchasedAt: p.lastPurchasedAt,
      orderCount: p.orderCount,
      quantity: p.quantity,
      rebuyIntervalDays: p.rebuyIntervalDays,
      shopMedianIntervalDays: median.get(String(p.productId)) ?? null,
    })),
    checkouts: checkouts.map((c) => ({
      token: c.token,
      state: checkoutState(c, now),
      createdAt: c.shopifyCreatedAt,
      updatedAt: c.shopifyUpdatedAt,
      completedAt: c.completedAt,
      abandonedAt: c.abandonedAt,
      recoveryUrl: c.recoveryUrl,
      totalPrice: c.totalPrice.toFixed(2),
      currency: c.currency,
      lineItems: c.lineItems,
    })),
    link: friend?.linkedAt ? { lineUserId: friend.lineUserId, linkedAt: friend.linkedAt, source: friend.linkSource } : null,
    friend: friend
      ? {
          id: friend.id,
          lineUserId: friend.lineUserId,
          displayName: friend.displayName,
          following: friend.following,
          followedAt: friend.followedAt,
          blockedAt: friend.blockedAt,
          marketingOptOut: friend.marketingOptOut,
        }
      : null,
  };
}

/** customers/data_request: everything we hold about the customer, including their orders. */
export async function buildCustomerExport(shopId: number, shopifyCustomerId: bigint, orderIds: bigint[], now = new Date()) {
  const view = await getCustomerView(shopId, shopifyCustomerId, now);
  const orders = await db().order.findMany({
    where: { shopId, OR: [{ shopifyCustomerId }, { shopifyOrderId: { in: orderIds } }] },
    include: { lines: { select: { productId: true, variantId: true, title: true, quantity: true, price: true } } },
    orderBy: { processedAt: "asc" },
  });
  return {
    generatedAt: now.toISOString(),
    shopifyCustomerId: String(shopifyCustomerId),
    ...(view ?? { customer: null, products: [], checkouts: [], link: null, friend: null }),
    friendTags: view?.friend
      ? (await db().friendTag.findMany({ where: { shopId, friendId: view.friend.id }, include: { tag: true } })).map((t) => t.tag.name)
      : [],
    ...(await friendActivity(shopId, shopifyCustomerId, view?.friend ?? null)),
    integrations: await integrationData(shopId, shopifyCustomerId, view?.friend ?? null),
    orders: orders.map((o) => ({
      shopifyOrderId: String(o.shopifyOrderId),
      name: o.name,
      processedAt: o.processedAt,
      cancelledAt: o.cancelledAt,
      totalPrice: o.totalPrice.toFixed(2),
      currency: o.currency,
      deliveredAt: o.deliveredAt,
      lines: o.lines.map((l) => ({
        ...l,
        productId: l.productId?.toString() ?? null,
        variantId: l.variantId?.toString() ?? null,
        price: l.price.toFixed(2),
      })),
    })),
  };
}

/**
 * What the linked LINE friend did and was sent that we store: link history of the customer, consent
 * choices, messages they wrote (while the events are retained) and reminders about them.
 */
async function friendActivity(shopId: number, shopifyCustomerId: bigint, friend: { id: number; lineUserId: string } | null) {
  const linkHistory = await db().linkHistory.findMany({
    where: { shopId, shopifyCustomerId },
    orderBy: { at: "asc" },
    select: { action: true, source: true, at: true },
  });
  if (!friend) return { linkHistory, consentEvents: [], lineMessages: [], reminders: [] };
  const [consentEvents, events, reminders] = await Promise.all([
    db().consentEvent.findMany({
      where: { shopId, friendId: friend.id },
      orderBy: { at: "asc" },
      select: { optedOut: true, source: true, at: true },
    }),
    db().lineEvent.findMany({
      where: { shopId, lineUserId: friend.lineUserId, type: "message" },
      orderBy: { receivedAt: "asc" },
      select: { payload: true, receivedAt: true },
    }),
    db().reminder.findMany({
      where: { shopId, friendId: friend.id },
      orderBy: { createdAt: "asc" },
      select: { kind: true, status: true, dueAt: true, sentAt: true, clickedAt: true },
    }),
  ]);
  const lineMessages = events.map((e) => {
    const message = (e.payload as { message?: { type?: string; text?: string } }).message;
    return { at: e.receivedAt, type: message?.type ?? null, text: message?.text ?? null };
  });
  return { linkHistory, consentEvents, lineMessages, reminders };
}

/**
 * The HubSpot contacts / Klaviyo profiles we hold that are the customer's: matched to the customer,
 * carrying their email/phone hash (the same rows customers/redact deletes), or matched to their
 * LINE friend through the LINE user id property — with the list memberships, the synced properties,
 * and the friend's write-backs not sent yet (docs/integrations.md "Privacy webhooks").
 */
async function integrationData(shopId: number, shopifyCustomerId: bigint, friend: { id: number } | null) {
  const customer = await db().customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    select: { id: true, emailHash: true, phoneHash: true },
  });
  const or = [
    ...(customer ? [{ customerId: customer.id }] : []),
    ...(customer?.emailHash ? [{ emailHash: customer.emailHash }] : []),
    ...(customer?.phoneHash ? [{ phoneHash: customer.phoneHash }] : []),
    ...(friend ? [{ friendId: friend.id }] : []),
  ];
  const contacts = or.length
    ? await db().integrationContact.findMany({ where: { shopId, OR: or }, orderBy: [{ provider: "asc" }, { externalId: "asc" }] })
    : [];
  const [members, lists, writeBacks] = await Promise.all([
    contacts.length
      ? db().integrationListMember.findMany({
          where: { shopId, OR: contacts.map((c) => ({ provider: c.provider, contactExternalId: c.externalId })) },
          orderBy: { listExternalId: "asc" },
        })
      : [],
    contacts.length ? db().integrationList.findMany({ where: { shopId }, select: { provider: true, externalId: true, name: true } }) : [],
    friend
      ? db().integrationWriteBack.findMany({
          where: { shopId, friendId: friend.id, status: "pending" },
          orderBy: { id: "asc" },
          select: { provider: true, kind: true, payload: true, createdAt: true },
        })
      : [],
  ]);
  const listName = new Map(lists.map((l) => [`${l.provider}:${l.externalId}`, l.name]));
  return {
    contacts: contacts.map((c) => ({
      provider: c.provider,
      externalId: c.externalId,
      email: c.email,
      phone: c.phone,
      lineUserId: c.lineUserId,
      properties: c.properties,
      matchedToCustomer: customer !== null && c.customerId === customer.id,
      matchedToFriend: friend !== null && c.friendId === friend.id,
      updatedAt: c.externalUpdatedAt,
      syncedAt: c.syncedAt,
      lists: members
        .filter((m) => m.provider === c.provider && m.contactExternalId === c.externalId)
        .map((m) => ({ externalId: m.listExternalId, name: listName.get(`${m.provider}:${m.listExternalId}`) ?? null, since: m.syncedAt })),
    })),
    pendingWriteBacks: writeBacks,
  };
}
