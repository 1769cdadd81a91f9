import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listFolders } from "~/db/segments.server";
import { deleteSegment, listSegments, SegmentError } from "~/services/segments/segments.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { useFormErrors } from "~/components/form-errors";
import { SegmentsListForm } from "./app.segments.schema";
import { AssistantPanel } from "~/components/assistant/AssistantPanel";
import { ConfirmModal } from "~/components/ConfirmModal";
import { usageLabel, type SegmentUsage } from "~/components/segments/usage";
import { useFormat } from "~/components/format";
import { showToast } from "~/components/toast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const url = new URL(request.url);
  const folder = url.searchParams.get("folder");
  const query = url.searchParams.get("q")?.trim() || undefined;
  const [segments, folders] = await Promise.all([
    listSegments(shop.id, { query, folderId: folder === "none" ? null : folder ? Number(folder) : undefined }),
    listFolders(shop.id),
  ]);
  return json({ segments, folders: folders.map((f) => ({ id: f.id, name: f.name })) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(SegmentsListForm, await request.formData());
  if (!parsed.ok) return json({ deleted: false as const, usedBy: [], errors: parsed.errors }, { status: 422 });
  try {
    const result = await deleteSegment(shop.id, parsed.data.id);
    return json(result, { status: result.deleted ? 200 : 409 });
  } catch (err) {
    if (err instanceof SegmentError)
      return json({ deleted: false as const, usedBy: [], errors: { form: `segments.errors.${err.code}` } as FormErrors }, { status: 422 });
    throw err;
  }
};

export default function SegmentsIndex() {
  const { segments, folders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const folder = params.get("folder") ?? "";
  const { t } = useTranslation();
  const format = useFormat();
  const [confirm, setConfirm] = useState<{ id: number; name: string } | null>(null);
  const usage = (u: SegmentUsage) => usageLabel(t, u);
  const errors = useFormErrors(result && "errors" in result ? (result.errors as FormErrors) : null);
  useEffect(() => {
    if (result && "deleted" in result && result.deleted) showToast(t("segments.list.deleted"));
  }, [result, t]);

  useEffect(() => {
    const t = setTimeout(() => {
      if ((params.get("q") ?? "") === q) return;
      const next = new URLSearchParams(params);
      if (q) next.set("q", q);
      else next.delete("q");
      submit(next, { method: "get", replace: true });
    }, 300);
    return () => clearTimeout(t);
  }, [q, params, submit]);

  return (
    <Page title={t("segments.list.title")} primaryAction={{ content: t("segments.list.create"), url: "/app/segments/new" }}>
      <ConfirmModal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) submit({ intent: "delete", id: String(confirm.id) }, { method: "post" });
          setConfirm(null);
        }}
        title={t("segments.edit.deleteConfirmTitle", { name: confirm?.name })}
        body={t("segments.edit.deleteConfirmBody")}
        confirmLabel={t("segments.edit.delete")}
      />
      <BlockStack gap="400">
        <div id="assistant">
          <AssistantPanel />
        </div>
        {Object.values(errors).map((message) => (
          <Banner tone="critical" key={message}>
            {message}
          </Banner>
        ))}
        {result && "usedBy" in result && !result.deleted && result.usedBy.length > 0 && (
          <Banner tone="critical" title={t("segments.list.notDeleted")}>
            <ul>
              {result.usedBy.map((u) => (
                <li key={`${u.kind}-${u.id}`}>{usage(u)}</li>
              ))}
            </ul>
          </Banner>
        )}
        <Card padding="0">
          <Box>
            <InlineStack gap="300" blockAlign="end">
              <div style={{ flex: 1, padding: "12px" }}>
                <TextField
                  label={t("segments.list.search")}
                  labelHidden
                  placeholder={t("segments.list.search")}
                  value={q}
                  onChange={setQ}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => setQ("")}
                />
              </div>
              <div style={{ padding: "12px" }}>
                <Select
                  label={t("segments.edit.folder")}
                  labelInline
                  options={[
                    { label: t("segments.list.allFolders"), value: "" },
                    { label: t("segments.list.noFolder"), value: "none" },
                    ...folders.map((f) => ({ label: f.name, value: String(f.id) })),
                  ]}
                  value={folder}
                  onChange={(v) => {
                    const next = new URLSearchParams(params);
                    if (v) next.set("folder", v);
                    else next.delete("folder");
                    submit(next, { method: "get" });
                  }}
                />
              </div>
            </InlineStack>
          </Box>
          {segments.length === 0 ? (
            q || folder ? (
              <EmptyState
                heading={t("segments.list.noMatch")}
                action={{ content: t("segments.list.clearFilters"), url: "/app/segments" }}
                image=""
              >
                <p>{t("segments.list.noMatchBody")}</p>
              </EmptyState>
            ) : (
              <EmptyState
                heading={t("segments.list.emptyHeading")}
                action={{ content: t("segments.list.create"), url: "/app/segments/new" }}
                secondaryAction={{ content: t("assistant.entry"), url: "#assistant" }}
                image=""
              >
                <p>{t("segments.list.emptyBody")}</p>
              </EmptyState>
            )
          ) : (
            <IndexTable
              resourceName={{ singular: t("segments.list.resource.singular"), plural: t("segments.list.resource.plural") }}
              itemCount={segments.length}
              selectable={false}
              headings={[
                { title: t("segments.list.columns.name") },
                { title: t("segments.list.columns.friends") },
                { title: t("segments.list.columns.usedBy") },
                { title: t("segments.list.columns.updated") },
                { title: t("segments.list.columns.actions") },
              ]}
            >
              {segments.map((s, i) => (
                <IndexTable.Row id={String(s.id)} key={s.id} position={i}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Link url={`/app/segments/${s.id}`} removeUnderline>
                        {s.name}
                      </Link>
                      {s.folder && (
                        <Text as="span" tone="subdued" variant="bodySm">
                          {s.folder}
                        </Text>
                      )}
                      {s.evaluationError && (
                        <InlineStack gap="100" blockAlign="center">
                          <Badge tone="critical">{t("segments.list.notEvaluated")}</Badge>
                          <Text as="span" tone="critical" variant="bodySm">
                            {t("segments.list.notEvaluatedHelp")}
                          </Text>
                        </InlineStack>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{s.memberCount === null ? "—" : format.number(s.memberCount)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      {s.usage.length === 0 ? (
                        <Text as="span" tone="subdued">
                          {t("segments.list.notUsed")}
                        </Text>
                      ) : (
                        s.usage.map((u) => <Badge key={`${u.kind}-${u.id}`}>{usage(u)}</Badge>)
                      )}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{format.dateTime(s.updatedAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200">
                      <Button url={`/app/broadcasts/new?segmentId=${s.id}`} size="slim">
                        {t("segments.edit.createBroadcast")}
                      </Button>
                      <Button
                        size="slim"
                        tone="critical"
                        variant="plain"
                        accessibilityLabel={t("segments.list.deleteNamed", { name: s.name })}
                        loading={nav.state === "submitting" && nav.formData?.get("id") === String(s.id)}
                        onClick={() => setConfirm({ id: s.id, name: s.name })}
                      >
                        {t("segments.list.delete")}
                      </Button>
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

function Box({ children }: { children: React.ReactNode }) {
  return <div style={{ borderBottom: "1px solid var(--p-color-border)" }}>{children}</div>;
}
