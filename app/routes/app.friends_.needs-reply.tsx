// Needs reply (/app/friends/needs-reply): friends who tapped "Talk to us" and wait for a person,
// longest waiting first, with what they wrote since; "Mark as done" once answered (in LINE Official
// Account Manager's chat, where the conversation itself happens).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Avatar, Badge, Banner, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listNeedsReply, markReplied } from "~/services/friends/needs-reply.server";
import { useFormat } from "~/components/format";
import { useFormErrors } from "~/components/form-errors";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { NeedsReplyForm } from "./app.friends.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json(await listNeedsReply(shop.id));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(NeedsReplyForm, await request.formData());
  if (!parsed.ok) return json({ outcome: "invalid" as const, errors: parsed.errors }, { status: 422 });
  return json({ outcome: await markReplied(shop.id, parsed.data.friendId) });
};

export default function NeedsReply() {
  const { total, friends } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = useFormErrors(result && "errors" in result ? (result.errors as FormErrors) : null);
  const { t } = useTranslation();
  const fmt = useFormat();
  const submit = useSubmit();
  const nav = useNavigation();
  return (
    <Page title={t("needsReply.title")} subtitle={t("needsReply.subtitle")} backAction={{ content: t("friend.back"), url: "/app/friends" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {result?.outcome === "done" && <Banner tone="success">{t("needsReply.marked")}</Banner>}
            {result?.outcome === "not-waiting" && <Banner tone="info">{t("needsReply.notWaiting")}</Banner>}
            {Object.values(errors).map((message) => (
              <Banner tone="critical" key={message}>
                {message}
              </Banner>
            ))}
            <Card padding={friends.length ? "0" : undefined}>
              {friends.length === 0 ? (
                <EmptyState
                  heading={t("needsReply.empty.heading")}
                  image=""
                  action={{ content: t("needsReply.empty.action"), url: "/app/rich-menus" }}
                >
                  <p>{t("needsReply.empty.body")}</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: t("needsReply.resource.one"), plural: t("needsReply.resource.other") }}
                  itemCount={friends.length}
                  selectable={false}
                  headings={[
                    { title: t("needsReply.col.friend") },
                    { title: t("needsReply.col.since") },
                    { title: t("needsReply.col.lastMessage") },
                    { title: "" },
                  ]}
                >
                  {friends.map((f, i) => (
                    <IndexTable.Row id={String(f.friendId)} key={f.friendId} position={i}>
                      <IndexTable.Cell>
                        <InlineStack gap="200" blockAlign="center" wrap={false}>
                          <Avatar size="sm" source={f.pictureUrl ?? undefined} name={f.displayName ?? undefined} />
                          <RemixLink to={`/app/friends/${f.friendId}`}>{f.displayName ?? t("friend.noName")}</RemixLink>
                          {!f.following && <Badge tone="critical">{t("friend.blocked")}</Badge>}
                        </InlineStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{fmt.dateTime(f.since)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {f.lastMessage ? (
                          <BlockStack gap="050">
                            <Text as="span" truncate>
                              {f.lastMessage.text ?? t("friend.messages.other", { type: f.lastMessage.type })}
                            </Text>
                            <Text as="span" tone="subdued" variant="bodySm">
                              {t("needsReply.messagesSince", { count: f.messagesSince, at: fmt.dateTime(f.lastMessage.at) })}
                            </Text>
                          </BlockStack>
                        ) : (
                          <Text as="span" tone="subdued">
                            {t("needsReply.noMessage")}
                          </Text>
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Button
                          size="slim"
                          loading={nav.state !== "idle" && nav.formData?.get("friendId") === String(f.friendId)}
                          onClick={() => submit({ intent: "mark-replied", friendId: String(f.friendId) }, { method: "post" })}
                        >
                          {t("needsReply.markDone")}
                        </Button>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
            {total > friends.length && (
              <Text as="p" tone="subdued">
                {t("needsReply.more", { count: total - friends.length })}
              </Text>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
