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
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { db } from "~/db.server";
import { listFriends, type FollowFilter, type LinkFilter } from "~/db/friends.server";
import { linkFunnel } from "~/services/linking/funnel.server";
import { unlinkFriend } from "~/services/linking/links.server";
import { importLinksCsv } from "~/services/linking/links-csv.server";

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
    db().tag.findMany({ where: { shopId: s.id }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 }),
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
    currency: s.currency,
    funnel,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "unlink") {
    const id = int(String(form.get("friendId") ?? ""));
    if (!id) return json({ error: "friendId is required" }, { status: 400 });
    return json({ unlinked: await unlinkFriend(s.id, id, "merchant") });
  }
  if (intent === "import") {
    const file = form.get("file");
    if (!file || typeof file === "string") return json({ error: "Choose a CSV file" }, { status: 400 });
    return json({ import: await importLinksCsv(s.id, await file.text()) });
  }
  return json({ error: "Unknown action" }, { status: 400 });
};

const when = (d: string | null) => (d ? new Date(d).toLocaleString() : "—");

export default function Friends() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [search, setSearch] = useState(params.get("q") ?? "");
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
  const { t } = useTranslation();
  return (
    <Page
      title="Friends"
      secondaryActions={[
        { content: t("needsReply.title"), url: "/app/friends/needs-reply" },
        { content: "Export links (CSV)", url: "/app/friends/export", external: true },
      ]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Link funnel (last 30 days)
              </Text>
              <InlineStack gap="600">
                <Text as="p">Extension views: {f.views}</Text>
                <Text as="p">Clicks: {f.clicks}</Text>
                <Text as="p">Completed links: {f.links}</Text>
                <Text as="p">Orders: {f.orders}</Text>
                <Text as="p">Link rate per order: {(f.linkRate * 100).toFixed(1)}%</Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <InlineStack gap="300" blockAlign="end">
              <div style={{ minWidth: 260 }}>
                <TextField
                  label="Search"
                  value={search}
                  onChange={setSearch}
                  placeholder="Name, LINE user id or Shopify customer id"
                  autoComplete="off"
                  connectedRight={<Button onClick={() => go({ q: search || null })}>Search</Button>}
                />
              </div>
              <Select
                label="Link"
                value={params.get("link") ?? "all"}
                onChange={(v) => go({ link: v === "all" ? null : v })}
                options={[
                  { label: "All", value: "all" },
                  { label: "Linked", value: "linked" },
                  { label: "Not linked", value: "unlinked" },
                ]}
              />
              <Select
                label="Status"
                value={params.get("follow") ?? "all"}
                onChange={(v) => go({ follow: v === "all" ? null : v })}
                options={[
                  { label: "All", value: "all" },
                  { label: "Following", value: "following" },
                  { label: "Blocked", value: "blocked" },
                ]}
              />
              <Select
                label="Tag"
                value={params.get("tag") ?? ""}
                onChange={(v) => go({ tag: v || null })}
                options={[{ label: "Any", value: "" }, ...data.tags.map((t) => ({ label: t.name, value: String(t.id) }))]}
              />
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "friend", plural: "friends" }}
              itemCount={data.friends.length}
              selectable={false}
              loading={busy}
              headings={[
                { title: "Friend" },
                { title: "Link" },
                { title: "Tags" },
                { title: "Orders" },
                { title: "Spent" },
                { title: "Last purchase" },
                { title: "Last activity" },
                { title: "" },
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
                            {r.displayName ?? "(no name yet)"}
                          </Text>
                        </Link>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {r.lineUserId}
                        </Text>
                      </BlockStack>
                      {!r.following && <Badge tone="critical">Blocked</Badge>}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.shopifyCustomerId ? <Badge tone="success">{`Linked · ${r.linkSource ?? ""}`}</Badge> : <Badge>Not linked</Badge>}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{r.tags.join(", ")}</IndexTable.Cell>
                  <IndexTable.Cell>{r.purchaseCount ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{r.amountSpent ? `${r.amountSpent} ${data.currency}` : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{when(r.lastPurchaseAt)}</IndexTable.Cell>
                  <IndexTable.Cell>{when(r.lastActivityAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.shopifyCustomerId && (
                      <Form method="post">
                        <input type="hidden" name="intent" value="unlink" />
                        <input type="hidden" name="friendId" value={r.id} />
                        <Button submit size="slim" tone="critical" variant="plain">
                          Unlink
                        </Button>
                      </Form>
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
                  Import links (CSV)
                </Text>
                <Text as="p" tone="subdued">
                  Columns: shopify_customer_id,line_user_id. A customer or LINE user already linked elsewhere moves to the new link.
                </Text>
                <input type="hidden" name="intent" value="import" />
                <input type="file" name="file" accept=".csv,text/csv" />
                <InlineStack>
                  <Button submit loading={busy}>
                    Import
                  </Button>
                </InlineStack>
                {result && "import" in result && result.import && (
                  <Text as="p">
                    {`Imported ${result.import.imported}, unchanged ${result.import.unchanged}, skipped ${result.import.skipped}.`}
                    {result.import.errors.slice(0, 20).map((e) => ` Line ${e.line}: ${e.message}.`)}
                  </Text>
                )}
                {result && "error" in result && (
                  <Text as="p" tone="critical">
                    {result.error}
                  </Text>
                )}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
