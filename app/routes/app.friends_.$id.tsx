// Friend page (/app/friends/<id>): LINE profile, linked Shopify customer and facts, tags (add/remove
// by hand), current rich menu and why, marketing consent, "needs reply", and the conversation
// (received and sent, newest first, keyset-paged with ?before=<cursor>). Unlink asks first.
// A missing or other-shop id is a translated 404 page (NotFoundBoundary).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Avatar,
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  Divider,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Tag,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { decodeCursor, encodeCursor } from "~/domain/friends/timeline";
import { friendDetail, friendTimeline, isShopFriend } from "~/services/friends/detail.server";
import { markReplied } from "~/services/friends/needs-reply.server";
import { unlinkFriend } from "~/services/linking/links.server";
import { addTagToFriends, removeTagFromFriends, TagError } from "~/services/tags/tags.server";
import { NotFoundBoundary } from "~/components/NotFound";
import { useFormat } from "~/components/format";
import { ruleConditionText, whichMenuReason } from "~/components/rich-menus/text";
import { useFormErrors } from "~/components/form-errors";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { FriendPageForm } from "./app.friends.schema";

const friendIdOf = (raw: string | undefined) => (raw && /^\d{1,10}$/.test(raw) ? Number(raw) : null);

const notFound = () => new Response("Friend not found", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const id = friendIdOf(params.id);
  const detail = id !== null ? await friendDetail(shop.id, id) : null;
  if (id === null || !detail) throw notFound();
  const cursor = decodeCursor(new URL(request.url).searchParams.get("before"));
  const timeline = (await friendTimeline(shop.id, id, { cursor }))!;
  return json({
    ...detail,
    timeline: { items: timeline.items, next: timeline.next ? encodeCursor(timeline.next) : null, paged: !!cursor },
  });
};

/** `errors`: field → i18n key (tagId when the tag is gone; intent for a request the page never sends). */
type ActionResult = { done: "tagAdded" | "tagRemoved" | "unlinked" | "notLinked" | "replied" | "notWaiting" } | { errors: FormErrors };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const id = friendIdOf(params.id);
  if (id === null || !(await isShopFriend(shop.id, id))) throw notFound();
  const parsed = parseForm(FriendPageForm, await request.formData());
  if (!parsed.ok) return json<ActionResult>({ errors: parsed.errors }, { status: 422 });
  const f = parsed.data;
  try {
    if (f.intent === "add-tag") {
      await addTagToFriends(shop.id, f.tagId, [id], "manual");
      return json<ActionResult>({ done: "tagAdded" });
    }
    if (f.intent === "remove-tag") {
      await removeTagFromFriends(shop.id, f.tagId, [id]);
      return json<ActionResult>({ done: "tagRemoved" });
    }
  } catch (err) {
    if (err instanceof TagError) return json<ActionResult>({ errors: { tagId: "friend.result.failed" } }, { status: 422 });
    throw err;
  }
  if (f.intent === "unlink")
    return json<ActionResult>({ done: (await unlinkFriend(shop.id, id, "merchant")) === "unlinked" ? "unlinked" : "notLinked" });
  return json<ActionResult>({ done: (await markReplied(shop.id, id)) === "done" ? "replied" : "notWaiting" });
};

export function ErrorBoundary() {
  return <NotFoundBoundary what="friend" backUrl="/app/friends" />;
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" fontWeight="semibold">
        {value}
      </Text>
    </BlockStack>
  );
}

function CustomerCard({ data, onUnlink }: { data: Data; onUnlink: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const c = data.customer;
  if (!c)
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("friend.customer.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("friend.customer.notLinked")}
          </Text>
        </BlockStack>
      </Card>
    );
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("friend.customer.title")}
          </Text>
          <Button tone="critical" variant="plain" onClick={onUnlink}>
            {t("friend.unlink.action")}
          </Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("friend.customer.linked", { id: c.shopifyCustomerId })}
          {data.friend.linkedAt ? ` · ${t("friend.customer.linkedAt", { date: fmt.dateTime(data.friend.linkedAt) })}` : ""}
        </Text>
        <InlineStack gap="800">
          <Fact label={t("friend.customer.purchases")} value={fmt.number(c.purchaseCount)} />
          <Fact label={t("friend.customer.spent")} value={fmt.money(c.amountSpent)} />
          <Fact
            label={t("friend.customer.lastPurchase")}
            value={
              c.daysSinceLastPurchase === null
                ? t("friend.customer.never")
                : t("friend.customer.daysAgo", { count: c.daysSinceLastPurchase })
            }
          />
        </InlineStack>
        {c.openCart && (
          <Banner
            tone="warning"
            title={t("friend.customer.openCart", { amount: fmt.money(c.openCart.totalPrice), count: c.openCart.itemCount })}
          >
            <p>{t("friend.customer.openCartSince", { date: fmt.dateTime(c.openCart.abandonedAt) })}</p>
          </Banner>
        )}
        <Text as="h3" variant="headingSm">
          {t("friend.customer.products")}
        </Text>
        {c.products.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("friend.customer.noProducts")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "numeric", "text"]}
            headings={[t("friend.customer.product"), t("friend.customer.orders"), t("friend.customer.lastBought")]}
            rows={c.products.map((p) => [p.title, fmt.number(p.orderCount), fmt.date(p.lastPurchasedAt)])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function TagsCard({ data, error }: { data: Data; error?: string }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const available = data.shopTags.filter((s) => !data.tags.some((x) => x.id === s.id));
  const [pick, setPick] = useState("");
  const chosen = available.some((a) => String(a.id) === pick) ? pick : "";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("friend.tags.title")}
        </Text>
        {data.tags.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("friend.tags.none")}
          </Text>
        ) : (
          <InlineStack gap="100">
            {data.tags.map((tag) => (
              <Tag
                key={tag.id}
                onRemove={() => submit({ intent: "remove-tag", tagId: String(tag.id) }, { method: "post" })}
                accessibilityLabel={t("friend.tags.remove", { name: tag.name })}
              >
                {tag.name}
              </Tag>
            ))}
          </InlineStack>
        )}
        {available.length > 0 ? (
          <InlineStack gap="200" blockAlign="end">
            <Select
              label={t("friend.tags.add")}
              options={[{ label: t("friend.tags.choose"), value: "" }, ...available.map((a) => ({ label: a.name, value: String(a.id) }))]}
              value={chosen}
              onChange={setPick}
              error={error}
            />
            <Button
              disabled={!chosen}
              onClick={() => {
                submit({ intent: "add-tag", tagId: chosen }, { method: "post" });
                setPick("");
              }}
            >
              {t("friend.tags.addButton")}
            </Button>
          </InlineStack>
        ) : (
          <Text as="p" tone="subdued">
            {error && (
              <Text as="span" tone="critical">
                {error}{" "}
              </Text>
            )}
            {t("friend.tags.noMore")} <RemixLink to="/app/tags">{t("friend.tags.manage")}</RemixLink>
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function Timeline({ data }: { data: Data }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const { items, next, paged } = data.timeline;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("friend.messages.title")}
        </Text>
        {items.length === 0 && (
          <Text as="p" tone="subdued">
            {t("friend.messages.none")}
          </Text>
        )}
        {items.map((m) => (
          <Box key={`${m.direction}-${m.id}`} paddingBlockEnd="200">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Badge tone={m.direction === "in" ? "info" : undefined}>
                  {m.direction === "in" ? t("friend.messages.received") : t("friend.messages.sent")}
                </Badge>
                <Text as="span" tone="subdued" variant="bodySm">
                  {fmt.dateTime(m.at)}
                </Text>
                {m.direction === "out" && (
                  <Badge tone={m.status === "sent" ? "success" : m.status === "failed" ? "critical" : undefined}>
                    {t(`friend.messages.status.${m.status as "sent" | "failed" | "pending" | "skipped"}`, { defaultValue: m.status })}
                  </Badge>
                )}
              </InlineStack>
              {m.direction === "in" ? (
                <Text as="p">
                  {m.type === "text"
                    ? m.text
                    : m.type === "postback"
                      ? t("friend.messages.tapped", { data: m.text ?? "" })
                      : t("friend.messages.other", { type: m.type })}
                </Text>
              ) : (
                <Text as="p">
                  {t(`friend.messages.kind.${m.kind as "broadcast" | "reminder" | "automation" | "transactional" | "test"}`, {
                    defaultValue: m.kind,
                  })}
                  {m.sourceName ? ` · ${m.sourceName}` : ""}
                  {m.error ? ` · ${m.error}` : ""}
                </Text>
              )}
            </BlockStack>
            <Box paddingBlockStart="200">
              <Divider />
            </Box>
          </Box>
        ))}
        <InlineStack gap="200">
          {paged && (
            <Button
              onClick={() => {
                const p = new URLSearchParams(params);
                p.delete("before");
                setParams(p);
              }}
            >
              {t("friend.messages.newest")}
            </Button>
          )}
          {next && (
            <Button
              onClick={() => {
                const p = new URLSearchParams(params);
                p.set("before", next);
                setParams(p);
              }}
            >
              {t("friend.messages.older")}
            </Button>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

const RESULT_KEYS = {
  tagAdded: "friend.result.tagAdded",
  tagRemoved: "friend.result.tagRemoved",
  unlinked: "friend.result.unlinked",
  notLinked: "friend.result.notLinked",
  replied: "friend.result.replied",
  notWaiting: "friend.result.notWaiting",
} as const;

export default function FriendPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const fmt = useFormat();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [confirmUnlink, setConfirmUnlink] = useState(false);
  const errors = useFormErrors(result && "errors" in result ? result.errors : null);
  const f = data.friend;
  const name = f.displayName ?? t("friend.noName");
  const menu = data.richMenu;
  return (
    <Page
      title={name}
      backAction={{ content: t("friend.back"), url: "/app/friends" }}
      titleMetadata={
        f.following ? <Badge tone="success">{t("friend.following")}</Badge> : <Badge tone="critical">{t("friend.blocked")}</Badge>
      }
    >
      <Modal
        open={confirmUnlink}
        onClose={() => setConfirmUnlink(false)}
        title={t("friend.unlink.confirmTitle", { name })}
        primaryAction={{
          content: t("friend.unlink.action"),
          destructive: true,
          loading: busy,
          onAction: () => {
            setConfirmUnlink(false);
            submit({ intent: "unlink" }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: t("common.cancel"), onAction: () => setConfirmUnlink(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("friend.unlink.confirmBody")}</Text>
        </Modal.Section>
      </Modal>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && "done" in result && <Banner tone="success">{t(RESULT_KEYS[result.done])}</Banner>}
            {(errors.intent ?? errors.form) && <Banner tone="critical">{errors.intent ?? errors.form}</Banner>}
            {data.needsReplySince && (
              <Banner
                tone="warning"
                title={t("friend.needsReply.title", { date: fmt.dateTime(data.needsReplySince) })}
                action={{ content: t("needsReply.markDone"), onAction: () => submit({ intent: "mark-replied" }, { method: "post" }) }}
              >
                <p>{t("friend.needsReply.body")}</p>
              </Banner>
            )}
            <CustomerCard data={data} onUnlink={() => setConfirmUnlink(true)} />
            <Timeline data={data} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="300" blockAlign="center">
                  <Avatar size="lg" source={f.pictureUrl ?? undefined} name={name} />
                  <BlockStack>
                    <Text as="h2" variant="headingMd">
                      {name}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm" breakWord>
                      {f.lineUserId}
                    </Text>
                  </BlockStack>
                </InlineStack>
                <Fact label={t("friend.profile.added")} value={f.followedAt ? fmt.dateTime(f.followedAt) : t("friend.profile.unknown")} />
                {!f.following && f.blockedAt && <Fact label={t("friend.profile.blockedAt")} value={fmt.dateTime(f.blockedAt)} />}
                {f.lastActivityAt && <Fact label={t("friend.profile.lastActivity")} value={fmt.dateTime(f.lastActivityAt)} />}
              </BlockStack>
            </Card>
            <TagsCard data={data} error={errors.tagId} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("friend.menu.title")}
                </Text>
                <Text as="p" fontWeight="semibold">
                  {menu.current ? menu.current.name : t("friend.menu.defaultOrNone")}
                </Text>
                <Text as="p" tone="subdued">
                  {menu.rule
                    ? t("friend.menu.byRule", { position: menu.rule.position, condition: ruleConditionText(t, menu.rule.condition) })
                    : menu.current
                      ? t("friend.menu.byDefault")
                      : t("friend.menu.noneAssigned")}
                </Text>
                {menu.chosen && (
                  <Text as="p" tone="subdued">
                    {t("friend.menu.rulesNow", { reason: whichMenuReason(t, fmt.dateTime, menu.chosen) })}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("friend.consent.title")}
                </Text>
                <InlineStack>
                  {data.consent.optedOut ? (
                    <Badge tone="warning">{t("friend.consent.optedOut")}</Badge>
                  ) : (
                    <Badge tone="success">{t("friend.consent.optedIn")}</Badge>
                  )}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {data.consent.since
                    ? t("friend.consent.since", {
                        date: fmt.dateTime(data.consent.since),
                        source: t(`friend.consent.source.${data.consent.source as "keyword"}`, { defaultValue: data.consent.source ?? "" }),
                      })
                    : t("friend.consent.neverChanged")}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
