// Friend tags: kinds, friend counts, where each tag is used (segments, rules, menus); create,
// rename (segments keep working), delete (asks first when in use), and automatic tag rules.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { segmentNames } from "~/db/segments.server";
import { findTag, listTagRules, listTagRows, tagUsages, type TagUsage } from "~/db/tags.server";
import { TAG_KINDS, TAG_RULE_TRIGGERS, type TagKind } from "~/domain/tags/tags";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { TagsForm } from "./app.tags.schema";
import { createTag, createTagRule, deleteTag, deleteTagRule, renameTag, TagError, updateTagKind } from "~/services/tags/tags.server";
import { ConfirmModal } from "~/components/ConfirmModal";
import { useFormat } from "~/components/format";
import { showToast } from "~/components/toast";
import { useFormErrors } from "~/components/form-errors";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const [tags, usage, rules, segments] = await Promise.all([
    listTagRows(shop.id),
    tagUsages(shop.id),
    listTagRules(shop.id),
    segmentNames(shop.id),
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

/**
 * `done`: what succeeded (toast `tags.done.<done>`); `errors`: field → i18n key (a TagError becomes
 * `tags.errors.<code>` on its field, "form" when it has none); `confirmDelete`: the tag is in use.
 */
type ActionResult = {
  ok: boolean;
  done?: "created" | "renamed" | "deleted" | "ruleAdded" | "ruleRemoved";
  errors?: FormErrors;
  confirmDelete?: { tagId: number; name: string; usedBy: TagUsage };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(TagsForm, await request.formData());
  if (!parsed.ok) return json<ActionResult>({ ok: false, errors: parsed.errors }, { status: 422 });
  const f = parsed.data;
  try {
    switch (f.intent) {
      case "create":
        await createTag(shop.id, { name: f.name, kind: f.kind });
        return json<ActionResult>({ ok: true, done: "created" });
      case "rename":
        await renameTag(shop.id, f.id, f.name);
        await updateTagKind(shop.id, f.id, f.kind);
        return json<ActionResult>({ ok: true, done: "renamed" });
      case "delete": {
        const r = await deleteTag(shop.id, f.id, { force: f.force });
        if (r.deleted) return json<ActionResult>({ ok: true, done: "deleted" });
        const tag = await findTag(shop.id, f.id);
        return json<ActionResult>({ ok: false, confirmDelete: { tagId: f.id, name: tag?.name ?? "", usedBy: r.usedBy } }, { status: 409 });
      }
      case "rule":
        await createTagRule(shop.id, { trigger: f.trigger, match: f.match || null, action: f.action, tagId: f.tagId });
        return json<ActionResult>({ ok: true, done: "ruleAdded" });
      case "delete-rule":
        await deleteTagRule(shop.id, f.id);
        return json<ActionResult>({ ok: true, done: "ruleRemoved" });
    }
  } catch (err) {
    if (err instanceof TagError)
      return json<ActionResult>({ ok: false, errors: { [err.field || "form"]: `tags.errors.${err.code}` } }, { status: 422 });
    throw err;
  }
};

function useUsageText() {
  const { t } = useTranslation();
  return (u: TagUsage): string => {
    const parts = [];
    if (u.segments.length) parts.push(t("tags.usage.segments", { names: u.segments.map((s) => s.name).join(", ") }));
    if (u.rules.length) parts.push(t("tags.usage.rules", { count: u.rules.length }));
    if (u.menus.length) parts.push(t("tags.usage.menuRules", { count: u.menus.length }));
    return parts.join(" · ") || t("tags.usage.none");
  };
}

export default function Tags() {
  const { tags, rules, segments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const format = useFormat();
  const usageText = useUsageText();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<string>("source");
  const [editing, setEditing] = useState<{ id: number; name: string; kind: string } | null>(null);
  // The rule being written is unsaved work: the save bar offers to add it, or to discard it.
  const draft = useDirtyForm({ trigger: "keyword", match: "", action: "add", tagId: String(tags[0]?.id ?? "") });
  const rule = draft.values;
  const setRule = draft.setValues;
  // Which form the last submission came from: the server's field errors belong to that form.
  const [sent, setSent] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ intent: "delete" | "delete-rule"; id: number; name: string } | null>(null);
  const tagName = new Map(tags.map((tag) => [tag.id, tag.name]));
  const kindOptions = TAG_KINDS.map((k) => ({ label: t(`tags.kind.${k}`), value: k }));
  const kindLabel = (k: string) => ((TAG_KINDS as readonly string[]).includes(k) ? t(`tags.kind.${k as TagKind}`) : k);
  const errors = useFormErrors(result?.errors);
  const errorFor = (intent: string, field: string) => (sent === intent ? errors[field] : undefined);
  const { markSaved: clearDraft, values: draftValues } = draft;
  useEffect(() => {
    if (result?.done) showToast(t(`tags.done.${result.done}`));
    if (result?.done === "renamed") setEditing(null);
    if (result?.done === "created") setName("");
    if (result?.done === "ruleAdded") clearDraft({ ...draftValues, match: "" });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per action result
  }, [result, t]);
  const editedTag = editing ? tags.find((tag) => tag.id === editing.id) : undefined;
  const renameDirty = Boolean(editing && editedTag && (editing.name !== editedTag.name || editing.kind !== editedTag.kind));
  const submitRename = () => {
    if (!editing) return;
    setSent("rename");
    submit({ intent: "rename", id: String(editing.id), name: editing.name, kind: editing.kind }, { method: "post" });
  };
  const submitRule = () => {
    setSent("rule");
    submit({ intent: "rule", ...rule }, { method: "post" });
  };
  const confirmNow = () => {
    if (!confirm) return;
    submit({ intent: confirm.intent, id: String(confirm.id) }, { method: "post" });
    setConfirm(null);
  };
  const focusNewTag = () => document.getElementById("new-tag-name")?.focus();
  const segmentName = new Map(segments.map((s) => [String(s.id), s.name]));
  const bySegment = (trigger: string) => trigger === "segment_enter" || trigger === "segment_leave";

  return (
    <Page title={t("tags.title")}>
      <ContextualSaveBar
        id="tags-save-bar"
        dirty={renameDirty || draft.dirty}
        saving={nav.state === "submitting"}
        onSave={renameDirty ? submitRename : submitRule}
        onDiscard={() => {
          setEditing(null);
          draft.reset();
        }}
      />
      <ConfirmModal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        onConfirm={confirmNow}
        title={confirm?.intent === "delete-rule" ? t("tags.confirm.ruleTitle") : t("tags.confirm.deleteTitle", { name: confirm?.name })}
        body={confirm?.intent === "delete-rule" ? t("tags.confirm.ruleBody", { rule: confirm.name }) : t("tags.confirm.deleteBody")}
        confirmLabel={confirm?.intent === "delete-rule" ? t("tags.confirm.ruleAction") : t("tags.confirm.deleteAction")}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {(errors.form ?? errors.id ?? errors.intent) && <Banner tone="critical">{errors.form ?? errors.id ?? errors.intent}</Banner>}
            {result?.confirmDelete && (
              <Banner tone="warning" title={t("tags.inUse.title", { name: result.confirmDelete.name })}>
                <BlockStack gap="200">
                  <Text as="p">{t("tags.inUse.body", { usage: usageText(result.confirmDelete.usedBy) })}</Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="id" value={result.confirmDelete.tagId} />
                    <input type="hidden" name="force" value="1" />
                    <Button submit tone="critical">
                      {t("tags.inUse.deleteAnyway")}
                    </Button>
                  </Form>
                </BlockStack>
              </Banner>
            )}
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: t("tags.resource.singular"), plural: t("tags.resource.plural") }}
                itemCount={tags.length}
                selectable={false}
                headings={[
                  { title: t("tags.columns.tag") },
                  { title: t("tags.columns.kind") },
                  { title: t("tags.columns.friends") },
                  { title: t("tags.columns.usedBy") },
                  { title: t("tags.columns.actions") },
                ]}
                emptyState={
                  <EmptyState heading={t("tags.empty.heading")} action={{ content: t("tags.create"), onAction: focusNewTag }} image="">
                    <p>{t("tags.empty.body")}</p>
                  </EmptyState>
                }
              >
                {tags.map((tag, i) => (
                  <IndexTable.Row id={String(tag.id)} key={tag.id} position={i}>
                    <IndexTable.Cell>
                      {editing?.id === tag.id ? (
                        <Form method="post" onSubmit={() => setSent("rename")}>
                          <input type="hidden" name="intent" value="rename" />
                          <input type="hidden" name="id" value={tag.id} />
                          <InlineStack gap="200" blockAlign="end">
                            <TextField
                              label={t("tags.name")}
                              name="name"
                              value={editing.name}
                              onChange={(v) => setEditing({ ...editing, name: v })}
                              autoComplete="off"
                              error={errorFor("rename", "name")}
                            />
                            <Select
                              label={t("tags.columns.kind")}
                              name="kind"
                              options={kindOptions}
                              value={editing.kind}
                              onChange={(v) => setEditing({ ...editing, kind: v })}
                              error={errorFor("rename", "kind")}
                            />
                            <Button submit variant="primary">
                              {t("tags.save")}
                            </Button>
                          </InlineStack>
                        </Form>
                      ) : (
                        <Text as="span" fontWeight="semibold">
                          {tag.name}
                        </Text>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge>{kindLabel(tag.kind)}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{format.number(tag.friendCount)}</IndexTable.Cell>
                    <IndexTable.Cell>{usageText(tag.usage)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200">
                        <Button size="slim" onClick={() => setEditing({ id: tag.id, name: tag.name, kind: tag.kind })}>
                          {t("tags.rename")}
                        </Button>
                        <Button
                          size="slim"
                          tone="critical"
                          variant="plain"
                          accessibilityLabel={t("tags.deleteNamed", { name: tag.name })}
                          onClick={() => setConfirm({ intent: "delete", id: tag.id, name: tag.name })}
                        >
                          {t("tags.delete")}
                        </Button>
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("tags.rules.title")}
                </Text>
                {rules.length === 0 && (
                  <Text as="p" tone="subdued">
                    {t("tags.rules.empty")}
                  </Text>
                )}
                {rules.map((r) => {
                  const text = t(r.action === "remove" ? "tags.rules.describeRemove" : "tags.rules.describeAdd", {
                    trigger: t(`tags.trigger.${r.trigger as (typeof TAG_RULE_TRIGGERS)[number]}`),
                    match: r.match
                      ? ` “${bySegment(r.trigger) ? (segmentName.get(r.match) ?? t("pickers.segment.deleted")) : r.match}”`
                      : "",
                    tag: tagName.get(r.tagId) ?? r.tagId,
                  });
                  return (
                    <InlineStack key={r.id} gap="200" blockAlign="center">
                      <Text as="span">{text}</Text>
                      <Button
                        variant="plain"
                        tone="critical"
                        accessibilityLabel={t("tags.rules.removeNamed", { rule: text })}
                        onClick={() => setConfirm({ intent: "delete-rule", id: r.id, name: text })}
                      >
                        {t("tags.rules.remove")}
                      </Button>
                    </InlineStack>
                  );
                })}
                <Form method="post" onSubmit={() => setSent("rule")}>
                  <input type="hidden" name="intent" value="rule" />
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label={t("tags.rules.when")}
                        name="trigger"
                        options={TAG_RULE_TRIGGERS.map((tr) => ({ label: t(`tags.trigger.${tr}`), value: tr }))}
                        value={rule.trigger}
                        onChange={(v) => setRule({ ...rule, trigger: v })}
                      />
                      {bySegment(rule.trigger) ? (
                        <Select
                          label={t("pickers.segment.label")}
                          name="match"
                          options={[
                            { label: t("pickers.segment.choose"), value: "" },
                            ...segments.map((s) => ({ label: s.name, value: String(s.id) })),
                          ]}
                          value={segmentName.has(rule.match) ? rule.match : ""}
                          onChange={(v) => setRule({ ...rule, match: v })}
                          error={errorFor("rule", "match")}
                        />
                      ) : (
                        <TextField
                          label={t("tags.rules.match")}
                          name="match"
                          value={rule.match}
                          onChange={(v) => setRule({ ...rule, match: v })}
                          autoComplete="off"
                          helpText={t("tags.rules.matchHelp")}
                          error={errorFor("rule", "match")}
                        />
                      )}
                      <Select
                        label={t("tags.rules.then")}
                        name="action"
                        options={[
                          { label: t("tags.rules.add"), value: "add" },
                          { label: t("tags.rules.removeTag"), value: "remove" },
                        ]}
                        value={rule.action}
                        onChange={(v) => setRule({ ...rule, action: v })}
                      />
                      <Select
                        label={t("tags.rules.tag")}
                        name="tagId"
                        options={tags.map((tag) => ({ label: tag.name, value: String(tag.id) }))}
                        value={rule.tagId}
                        onChange={(v) => setRule({ ...rule, tagId: v })}
                        error={errorFor("rule", "tagId")}
                      />
                    </FormLayout.Group>
                    <Button submit disabled={!tags.length}>
                      {t("tags.rules.addRule")}
                    </Button>
                  </FormLayout>
                </Form>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post" onSubmit={() => setSent("create")}>
              <input type="hidden" name="intent" value="create" />
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("tags.newTag")}
                </Text>
                <TextField
                  id="new-tag-name"
                  label={t("tags.name")}
                  name="name"
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  error={errorFor("create", "name")}
                />
                <Select
                  label={t("tags.columns.kind")}
                  name="kind"
                  options={kindOptions}
                  value={kind}
                  onChange={setKind}
                  error={errorFor("create", "kind")}
                />
                <Button submit variant="primary" loading={nav.state === "submitting" && nav.formData?.get("intent") === "create"}>
                  {t("tags.create")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
