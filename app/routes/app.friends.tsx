// Friends: LINE friends with link status, source, tags, facts and last activity. Keyset pages of 50
// (by id desc, no OFFSET) so it stays fast at 1M friends; unlink, CSV import/export, link funnel.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Avatar,
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineStack,
  IndexTable,
  Layout,
  Link,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { tagNames } from "~/db/tags.server";
import { listFriends, type FollowFilter, type LinkFilter } from "~/db/friends.server";
import { linkFunnel } from "~/services/linking/funnel.server";
import { unlinkFriend } from "~/services/linking/links.server";
import { importLinksCsv } from "~/services/linking/links-csv.server";
import { LINK_SOURCES, type LinkSource } from "~/domain/linking/linking";
import { ConfirmModal } from "~/components/ConfirmModal";
import { useFormat } from "~/components/format";
import { showToast } from "~/components/toast";
import { useFormErrors } from "~/components/form-errors";
import { formFile, parseForm, type FormErrors } from "~/domain/forms/parse";
import { FriendsForm } from "./app.friends.schema";

const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const q = new URL(request.url).searchParams;
  const link = (["linked", "unlinked"].includes(q.get("link") ?? "") ? q.get("link") : "all") as LinkFilter;
  const follow = (["following", "blocked"].includes(q.get("follow") ?? "") ? q.get("follow") : "all") as FollowFilter;
  const since = new Date(Date.now() - 30 * 86_400_000);
  const [page, tags, funnel] = await Promise.all([
    listFriends({
      shopId: s.id,
      search: q.get("q") ?? undefined,
      link,
      follow,
      tagId: int(q.get("tag")),
      before: int(q.get("before")),
      after: int(q.get("after")),
    }),
    tagNames(s.id, 500),
    linkFunnel(s.id, since),
  ]);
  return json({
    friends: page.items.map(({ friend: f, customer: c, tags }) => ({
      id: f.id,
      lineUserId: f.lineUserId,
      displayName: f.displayName,
      pictureUrl: f.pictureUrl,
      following: f.following,
      linkSource: f.linkSource,
      shopifyCustomerId: c ? String(c.shopifyCustomerId) : null,
      purchaseCount: c?.purchaseCount ?? null,
      amountSpent: c ? String(c.amountSpent) : null,
      lastPurchaseAt: c?.lastPurchaseAt ?? null,
      lastActivityAt: f.lastActivityAt,
      tags,
    })),
    nextBefore: page.nextBefore ?? null,
    prevAfter: page.prevAfter ?? null,
    tags,
    funnel,
    filtered: Boolean(q.get("q") || link !== "all" || follow !== "all" || q.get("tag")),
  });
};

/** `errors`: field → i18n key (friendId, file, or intent for a request the page never sends). */
type ActionResult = { unlinked: boolean } | { import: Awaited<ReturnType<typeof importLinksCsv>> } | { errors: FormErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const form = await request.formData();
  const parsed = parseForm(FriendsForm, form);
  if (!parsed.ok) return json<ActionResult>({ errors: parsed.errors }, { status: 422 });
  if (parsed.data.intent === "unlink")
    return json<ActionResult>({ unlinked: (await unlinkFriend(s.id, parsed.data.friendId, "merchant")) === "unlinked" });
  const file = formFile(form, "file");
  if (!file) return json<ActionResult>({ errors: { file: "friends.errors.noFile" } }, { status: 422 });
  return json<ActionResult>({ import: await importLinksCsv(s.id, await file.text()) });
};

export default function Friends() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const [params] = useSearchParams();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [unlink, setUnlink] = useState<{ id: number; name: string } | null>(null);
  const when = (d: string | null) => (d ? format.dateTime(d) : "—");
  const sourceLabel = (src: string | null) =>
    src && (LINK_SOURCES as readonly string[]).includes(src) ? t(`friends.linkSource.${src as LinkSource}`) : null;
  useEffect(() => {
    if (result && "unlinked" in result) showToast(t(result.unlinked ? "friends.unlinked" : "friends.alreadyUnlinked"));
  }, [result, t]);
  const go = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const k of ["before", "after"]) next.delete(k);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    submit(next, { method: "get" });
  };
  const f = data.funnel;
  const imported = result && "import" in result ? result.import : null;
  const errors = useFormErrors(result && "errors" in result ? result.errors : null);
  return (
    <Page
      title={t("friends.title")}
      secondaryActions={[
        { content: t("needsReply.title"), url: "/app/friends/needs-reply" },
        { content: t("friends.export"), url: "/app/friends/export", external: true },
      ]}
    >
      <ConfirmModal
        open={unlink !== null}
        onClose={() => setUnlink(null)}
        onConfirm={() => {
          if (unlink) submit({ intent: "unlink", friendId: String(unlink.id) }, { method: "post" });
          setUnlink(null);
        }}
        title={t("friends.confirmUnlink.title", { name: unlink?.name })}
        body={t("friends.confirmUnlink.body")}
        confirmLabel={t("friends.confirmUnlink.action")}
      />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("friends.funnel.title")}
              </Text>
              <InlineStack gap="600">
                <Text as="p">{t("friends.funnel.views", { value: format.number(f.views) })}</Text>
                <Text as="p">{t("friends.funnel.clicks", { value: format.number(f.clicks) })}</Text>
                <Text as="p">{t("friends.funnel.links", { value: format.number(f.links) })}</Text>
                <Text as="p">{t("friends.funnel.orders", { value: format.number(f.orders) })}</Text>
                <Text as="p">{t("friends.funnel.linkRate", { value: format.percent(f.linkRate) })}</Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <InlineStack gap="300" blockAlign="end">
              <div style={{ minWidth: 260 }}>
                <TextField
                  label={t("friends.search")}
                  value={search}
                  onChange={setSearch}
                  placeholder={t("friends.searchPlaceholder")}
                  autoComplete="off"
                  connectedRight={<Button onClick={() => go({ q: search || null })}>{t("friends.search")}</Button>}
                />
              </div>
              <Select
                label={t("friends.filters.link")}
                value={params.get("link") ?? "all"}
                onChange={(v) => go({ link: v === "all" ? null : v })}
                options={[
                  { label: t("friends.filters.all"), value: "all" },
                  { label: t("friends.linked"), value: "linked" },
                  { label: t("friends.notLinked"), value: "unlinked" },
                ]}
              />
              <Select
                label={t("friends.filters.status")}
                value={params.get("follow") ?? "all"}
                onChange={(v) => go({ follow: v === "all" ? null : v })}
                options={[
                  { label: t("friends.filters.all"), value: "all" },
                  { label: t("friends.following"), value: "following" },
                  { label: t("friends.blocked"), value: "blocked" },
                ]}
              />
              <Select
                label={t("friends.filters.tag")}
                value={params.get("tag") ?? ""}
                onChange={(v) => go({ tag: v || null })}
                options={[
                  { label: t("friends.filters.anyTag"), value: "" },
                  ...data.tags.map((tag) => ({ label: tag.name, value: String(tag.id) })),
                ]}
              />
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: t("friends.resource.singular"), plural: t("friends.resource.plural") }}
              itemCount={data.friends.length}
              selectable={false}
              loading={busy}
              emptyState={
                data.filtered ? (
                  <EmptyState
                    heading={t("friends.empty.noMatch")}
                    action={{ content: t("friends.empty.clearFilters"), url: "/app/friends" }}
                    image=""
                  >
                    <p>{t("friends.empty.noMatchBody")}</p>
                  </EmptyState>
                ) : (
                  <EmptyState
                    heading={t("friends.empty.heading")}
                    action={{ content: t("friends.empty.action"), url: "/app/settings" }}
                    image=""
                  >
                    <p>{t("friends.empty.body")}</p>
                  </EmptyState>
                )
              }
              headings={[
                { title: t("friends.columns.friend") },
                { title: t("friends.columns.link") },
                { title: t("friends.columns.tags") },
                { title: t("friends.columns.orders") },
                { title: t("friends.columns.spent") },
                { title: t("friends.columns.lastPurchase") },
                { title: t("friends.columns.lastActivity") },
                { title: t("friends.columns.actions"), hidden: true },
              ]}
            >
              {data.friends.map((r, i) => (
                <IndexTable.Row id={String(r.id)} key={r.id} position={i}>
                  <IndexTable.Cell>
                    <InlineStack gap="200" blockAlign="center">
                      <Avatar size="sm" source={r.pictureUrl ?? undefined} name={r.displayName ?? r.lineUserId} />
                      <BlockStack>
                        <Link url={`/app/friends/${r.id}`} dataPrimaryLink monochrome removeUnderline>
                          <Text as="span" fontWeight="semibold">
                            {r.displayName ?? t("friends.noName")}
                          </Text>
                        </Link>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {r.lineUserId}
                        </Text>
                      </BlockStack>
                      {!r.following && <Badge tone="critical">{t("friends.blocked")}</Badge>}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.shopifyCustomerId ? (
                      <Badge tone="success">
                        {sourceLabel(r.linkSource) ? t("friends.linkedVia", { source: sourceLabel(r.linkSource) }) : t("friends.linked")}
                      </Badge>
                    ) : (
                      <Badge>{t("friends.notLinked")}</Badge>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{r.tags.join(", ")}</IndexTable.Cell>
                  <IndexTable.Cell>{r.purchaseCount === null ? "—" : format.number(r.purchaseCount)}</IndexTable.Cell>
                  <IndexTable.Cell>{r.amountSpent ? format.money(r.amountSpent) : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{when(r.lastPurchaseAt)}</IndexTable.Cell>
                  <IndexTable.Cell>{when(r.lastActivityAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.shopifyCustomerId && (
                      <Button
                        size="slim"
                        tone="critical"
                        variant="plain"
                        onClick={() => setUnlink({ id: r.id, name: r.displayName ?? r.lineUserId })}
                      >
                        {t("friends.unlink")}
                      </Button>
                    )}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
            <div style={{ padding: 12, display: "flex", justifyContent: "center" }}>
              <Pagination
                hasPrevious={data.prevAfter !== null}
                onPrevious={() => go({ after: String(data.prevAfter) })}
                hasNext={data.nextBefore !== null}
                onNext={() => go({ before: String(data.nextBefore) })}
              />
            </div>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post" encType="multipart/form-data">
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("friends.import.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("friends.import.help")}
                </Text>
                <input type="hidden" name="intent" value="import" />
                <input type="file" name="file" accept=".csv,text/csv" aria-label={t("friends.import.file")} />
                <InlineStack>
                  <Button submit loading={busy}>
                    {t("friends.import.action")}
                  </Button>
                </InlineStack>
                {imported && (
                  <BlockStack gap="100">
                    <Text as="p">
                      {t("friends.import.result", {
                        imported: format.number(imported.imported),
                        unchanged: format.number(imported.unchanged),
                        skipped: format.number(imported.skipped),
                      })}
                    </Text>
                    {imported.errors.slice(0, 20).map((e) => (
                      <Text as="p" tone="critical" key={`${e.line}-${e.code}`}>
                        {t("friends.import.errorLine", { line: e.line, error: t(`friends.import.errors.${e.code}`, e.params ?? {}) })}
                      </Text>
                    ))}
                  </BlockStack>
                )}
                {Object.values(errors).map((message) => (
                  <Text as="p" tone="critical" key={message}>
                    {message}
                  </Text>
                ))}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
