// Friend tags: kinds, friend counts, where each tag is used (segments, rules, menus); create,
// rename (segments keep working), delete (asks first when in use), and automatic tag rules.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { db } from "~/db.server";
import { listTagRows, tagUsages, type TagUsage } from "~/db/tags.server";
import { TAG_KIND_LABELS, TAG_KINDS, TAG_RULE_TRIGGERS, type TagKind } from "~/domain/tags/tags";
import { createTag, createTagRule, deleteTag, deleteTagRule, renameTag, TagError, updateTagKind } from "~/services/tags/tags.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const [tags, usage, rules, segments] = await Promise.all([
    listTagRows(shop.id),
    tagUsages(shop.id),
    db().tagRule.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } }),
    db().segment.findMany({ where: { shopId: shop.id }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return json({
    tags: tags.map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind,
      friendCount: t.friendCount,
      usage: usage.get(t.name) ?? { segments: [], rules: [], menus: [] },
    })),
    rules: rules.map((r) => ({ id: r.id, trigger: r.trigger, match: r.match, action: r.action, tagId: r.tagId, enabled: r.enabled })),
    segments,
  });
};

type ActionResult = { ok: boolean; error?: string; field?: string; confirmDelete?: { tagId: number; name: string; usedBy: TagUsage } };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const s = (k: string) => String(form.get(k) ?? "").trim();
  try {
    switch (s("intent")) {
      case "create":
        await createTag(shop.id, { name: s("name"), kind: (s("kind") || "other") as TagKind });
        return json<ActionResult>({ ok: true });
      case "rename":
        await renameTag(shop.id, Number(s("id")), s("name"));
        if (s("kind")) await updateTagKind(shop.id, Number(s("id")), s("kind") as TagKind);
        return json<ActionResult>({ ok: true });
      case "delete": {
        const r = await deleteTag(shop.id, Number(s("id")), { force: s("force") === "1" });
        if (r.deleted) return json<ActionResult>({ ok: true });
        const tag = await db().tag.findFirst({ where: { shopId: shop.id, id: Number(s("id")) } });
        return json<ActionResult>(
          { ok: false, confirmDelete: { tagId: Number(s("id")), name: tag?.name ?? "", usedBy: r.usedBy } },
          { status: 409 },
        );
      }
      case "rule":
        await createTagRule(shop.id, {
          trigger: s("trigger"),
          match: s("match") || null,
          action: s("action") || "add",
          tagId: Number(s("tagId")),
        });
        return json<ActionResult>({ ok: true });
      case "delete-rule":
        await deleteTagRule(shop.id, Number(s("id")));
        return json<ActionResult>({ ok: true });
    }
  } catch (err) {
    if (err instanceof TagError) return json<ActionResult>({ ok: false, error: err.message, field: err.field }, { status: 422 });
    throw err;
  }
  return json<ActionResult>({ ok: false, error: "Unknown action" }, { status: 400 });
};

const kindOptions = TAG_KINDS.map((k) => ({ label: TAG_KIND_LABELS[k], value: k }));
const TRIGGER_LABELS: Record<string, string> = {
  keyword: "Chat keyword",
  segment_enter: "Enters segment",
  segment_leave: "Leaves segment",
  menu_tap: "Taps rich-menu area (postback data)",
  link_click: "Clicks tracked link (id)",
  account_linked: "Links Shopify account",
};

function usageText(u: TagUsage): string {
  const parts = [];
  if (u.segments.length) parts.push(`Segments: ${u.segments.map((s) => s.name).join(", ")}`);
  if (u.rules.length) parts.push(`${u.rules.length} rule${u.rules.length > 1 ? "s" : ""}`);
  if (u.menus.length) parts.push(`${u.menus.length} menu rule${u.menus.length > 1 ? "s" : ""}`);
  return parts.join(" · ") || "Not used";
}

export default function Tags() {
  const { tags, rules, segments } = useLoaderData<typeof loader>();
  const { t: tr } = useTranslation();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<string>("source");
  const [editing, setEditing] = useState<{ id: number; name: string; kind: string } | null>(null);
  const [rule, setRule] = useState({ trigger: "keyword", match: "", action: "add", tagId: String(tags[0]?.id ?? "") });
  const tagName = new Map(tags.map((t) => [t.id, t.name]));
  const segmentName = new Map(segments.map((s) => [String(s.id), s.name]));
  const bySegment = (trigger: string) => trigger === "segment_enter" || trigger === "segment_leave";

  return (
    <Page title="Tags">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error && <Banner tone="critical">{result.error}</Banner>}
            {result?.confirmDelete && (
              <Banner tone="warning" title={`“${result.confirmDelete.name}” is in use`}>
                <BlockStack gap="200">
                  <Text as="p">
                    {usageText(result.confirmDelete.usedBy)}. Deleting it removes it from every friend; segments that name it will match as
                    if nobody had it.
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="id" value={result.confirmDelete.tagId} />
                    <input type="hidden" name="force" value="1" />
                    <Button submit tone="critical">
                      Delete anyway
                    </Button>
                  </Form>
                </BlockStack>
              </Banner>
            )}
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "tag", plural: "tags" }}
                itemCount={tags.length}
                selectable={false}
                headings={[{ title: "Tag" }, { title: "Kind" }, { title: "Friends" }, { title: "Used by" }, { title: "Actions" }]}
                emptyState={<Text as="p">No tags yet.</Text>}
              >
                {tags.map((t, i) => (
                  <IndexTable.Row id={String(t.id)} key={t.id} position={i}>
                    <IndexTable.Cell>
                      {editing?.id === t.id ? (
                        <Form method="post" onSubmit={() => setEditing(null)}>
                          <input type="hidden" name="intent" value="rename" />
                          <input type="hidden" name="id" value={t.id} />
                          <InlineStack gap="200" blockAlign="end">
                            <TextField
                              label="Tag name"
                              name="name"
                              value={editing.name}
                              onChange={(v) => setEditing({ ...editing, name: v })}
                              autoComplete="off"
                            />
                            <Select
                              label="Kind"
                              name="kind"
                              options={kindOptions}
                              value={editing.kind}
                              onChange={(v) => setEditing({ ...editing, kind: v })}
                            />
                            <Button submit variant="primary">
                              Save
                            </Button>
                          </InlineStack>
                        </Form>
                      ) : (
                        <Text as="span" fontWeight="semibold">
                          {t.name}
                        </Text>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge>{TAG_KIND_LABELS[t.kind as TagKind] ?? t.kind}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{t.friendCount.toLocaleString()}</IndexTable.Cell>
                    <IndexTable.Cell>{usageText(t.usage)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200">
                        <Button size="slim" onClick={() => setEditing({ id: t.id, name: t.name, kind: t.kind })}>
                          Rename
                        </Button>
                        <Form method="post">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={t.id} />
                          <Button submit size="slim" tone="critical" variant="plain" accessibilityLabel={`Delete tag ${t.name}`}>
                            Delete
                          </Button>
                        </Form>
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Automatic tag rules
                </Text>
                {rules.map((r) => (
                  <InlineStack key={r.id} gap="200" blockAlign="center">
                    <Text as="span">{`${TRIGGER_LABELS[r.trigger] ?? r.trigger}${r.match ? ` “${bySegment(r.trigger) ? (segmentName.get(r.match) ?? tr("pickers.segment.deleted")) : r.match}”` : ""} → ${r.action} “${tagName.get(r.tagId) ?? r.tagId}”`}</Text>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete-rule" />
                      <input type="hidden" name="id" value={r.id} />
                      <Button submit variant="plain" tone="critical" accessibilityLabel={`Delete rule ${r.id}`}>
                        Remove
                      </Button>
                    </Form>
                  </InlineStack>
                ))}
                <Form method="post">
                  <input type="hidden" name="intent" value="rule" />
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label="When"
                        name="trigger"
                        options={TAG_RULE_TRIGGERS.map((t) => ({ label: TRIGGER_LABELS[t]!, value: t }))}
                        value={rule.trigger}
                        onChange={(v) => setRule({ ...rule, trigger: v })}
                      />
                      {bySegment(rule.trigger) ? (
                        <Select
                          label={tr("pickers.segment.label")}
                          name="match"
                          options={[
                            { label: tr("pickers.segment.choose"), value: "" },
                            ...segments.map((s) => ({ label: s.name, value: String(s.id) })),
                          ]}
                          value={segmentName.has(rule.match) ? rule.match : ""}
                          onChange={(v) => setRule({ ...rule, match: v })}
                          error={result?.field === "match" ? result.error : undefined}
                        />
                      ) : (
                        <TextField
                          label="Match"
                          name="match"
                          value={rule.match}
                          onChange={(v) => setRule({ ...rule, match: v })}
                          autoComplete="off"
                          helpText="Keyword, postback data or link id; empty = any"
                          error={result?.field === "match" ? result.error : undefined}
                        />
                      )}
                      <Select
                        label="Then"
                        name="action"
                        options={[
                          { label: "Add tag", value: "add" },
                          { label: "Remove tag", value: "remove" },
                        ]}
                        value={rule.action}
                        onChange={(v) => setRule({ ...rule, action: v })}
                      />
                      <Select
                        label="Tag"
                        name="tagId"
                        options={tags.map((t) => ({ label: t.name, value: String(t.id) }))}
                        value={rule.tagId}
                        onChange={(v) => setRule({ ...rule, tagId: v })}
                      />
                    </FormLayout.Group>
                    <Button submit disabled={!tags.length}>
                      Add rule
                    </Button>
                  </FormLayout>
                </Form>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post" onSubmit={() => setName("")}>
              <input type="hidden" name="intent" value="create" />
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  New tag
                </Text>
                <TextField
                  label="Tag name"
                  name="name"
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  error={result?.field === "name" ? result.error : undefined}
                />
                <Select label="Kind" name="kind" options={kindOptions} value={kind} onChange={setKind} />
                <Button submit variant="primary" loading={nav.state === "submitting" && nav.formData?.get("intent") === "create"}>
                  Create tag
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
