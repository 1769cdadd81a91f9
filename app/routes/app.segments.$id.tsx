// Segment editor: name, folder, filter groups and a live preview (debounced 400 ms through the
// app.segments.preview resource route). Saving recalculates the member count.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Modal, Page, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useEffect, useMemo, useRef, useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { findSegment } from "~/db/segments.server";
import { tagNames } from "~/db/tags.server";
import {
  editableDefinition,
  InvalidDefinitionError,
  parseDefinition,
  type DefinitionIssue,
  type SegmentDefinition,
} from "~/domain/segments/schema";
import { localDate } from "~/domain/time/zoned";
import { createSegment, deleteSegment, SegmentError, updateSegment } from "~/services/segments/segments.server";
import { segmentIntegrationChoices } from "~/services/integrations/segment-choices.server";
import type { IntegrationChoices } from "~/domain/integrations/segment-choices";
import { SegmentEditor } from "~/components/segments/SegmentEditor";
import { useProductSource } from "~/components/pickers/ProductPicker";
import { PreviewPanel, type PreviewData } from "~/components/segments/PreviewPanel";
import { NotFoundBoundary } from "~/components/NotFound";
import { useFormat } from "~/components/format";
import { adminT } from "~/i18n/i18n.server";
import { usageLabel } from "~/components/segments/usage";
import { useIssueText } from "~/components/segments/issues";
import type { SegmentEvaluationProblem } from "~/services/segments/memberships.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const isNew = params.id === "new";
  const seg = isNew ? null : await findSegment(shop.id, Number(params.id));
  if (!isNew && !seg) throw new Response("Segment not found", { status: 404 });
  const [tags, integrations] = await Promise.all([tagNames(shop.id), segmentIntegrationChoices(shop.id)]);
  const parsed = seg ? parseDefinition(seg.definition) : null;
  return json({
    id: seg?.id ?? null,
    name: seg?.name ?? "",
    folder: seg?.folder?.name ?? "",
    memberCount: seg?.memberCount ?? null,
    // A stored definition past today's limits opens as it is, with its issues shown at the fields.
    definition: (parsed?.ok ? parsed.definition : ((seg && editableDefinition(seg.definition)) ?? { groups: [] })) as SegmentDefinition,
    evaluationError: seg?.evaluationError ?? null,
    evaluationErrorAt: seg?.evaluationErrorAt ?? null,
    evaluationIssues: (seg?.evaluationIssues as SegmentEvaluationProblem | null | undefined) ?? null,
    tags: tags.map((t) => t.name),
    integrations,
    today: localDate(new Date(), shop.timezone),
  });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const t = await adminT(request, shop);
  if (form.get("intent") === "delete" && params.id !== "new") {
    const r = await deleteSegment(shop.id, Number(params.id));
    if (r.deleted) return redirect("/app/segments");
    return json(
      {
        errors: { form: t("segments.edit.inUse", { names: r.usedBy.map((u) => usageLabel(t, u)).join(", ") }) } as Record<string, string>,
        issues: [] as DefinitionIssue[],
        saved: false,
      },
      { status: 409 },
    );
  }
  let definition: unknown;
  try {
    definition = JSON.parse(String(form.get("definition") ?? ""));
  } catch {
    return json(
      { errors: { form: t("segments.edit.invalidJson") } as Record<string, string>, issues: [] as DefinitionIssue[], saved: false },
      { status: 400 },
    );
  }
  const input = { name: String(form.get("name") ?? ""), folder: String(form.get("folder") ?? "") || null, definition };
  try {
    const seg = params.id === "new" ? await createSegment(shop.id, input) : await updateSegment(shop.id, Number(params.id), input);
    if (params.id === "new") return redirect(`/app/segments/${seg.id}`);
    return json({ errors: {} as Record<string, string>, issues: [] as DefinitionIssue[], saved: true });
  } catch (err) {
    if (err instanceof InvalidDefinitionError)
      return json({ errors: {} as Record<string, string>, issues: err.issues, saved: false }, { status: 422 });
    if (err instanceof SegmentError)
      return json(
        {
          errors: { [err.field ?? "form"]: t(`segments.errors.${err.code}` as "segments.errors.notFound", err.params) } as Record<
            string,
            string
          >,
          issues: [] as DefinitionIssue[],
          saved: false,
        },
        { status: 422 },
      );
    throw err;
  }
};

interface PreviewResponse {
  issues: DefinitionIssue[];
  preview: PreviewData | null;
}

export default function SegmentEdit() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const previewFetcher = useFetcher<PreviewResponse>();
  const [name, setName] = useState(data.name);
  const [folder, setFolder] = useState(data.folder);
  const [definition, setDefinition] = useState<SegmentDefinition>(data.definition);
  // Titles for the products the saved definition names ("Product purchased" shows titles, stores ids).
  const products = useProductSource(
    data.definition.groups.flatMap((g) => g.conditions.flatMap((c) => (c.field === "productPurchased" ? c.value : []))),
  );
  const localIssues = useMemo(() => {
    const r = parseDefinition(definition);
    return r.ok ? [] : r.issues;
  }, [definition]);
  const issues = localIssues.length ? localIssues : (result?.issues ?? []);

  // Debounced live preview; only valid definitions are sent.
  const lastSent = useRef<string>("");
  useEffect(() => {
    if (localIssues.length) return;
    const body = JSON.stringify({ definition });
    if (body === lastSent.current) return;
    const t = setTimeout(() => {
      lastSent.current = body;
      previewFetcher.submit(body, { method: "post", action: "/app/segments/preview", encType: "application/json" });
    }, 400);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [definition, localIssues.length]);

  const { t } = useTranslation();
  const fmt = useFormat();
  const issueText = useIssueText();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The server's name error belongs to the name that was submitted: typing a new one clears it.
  const [submittedName, setSubmittedName] = useState<string | null>(null);
  const nameError = result?.errors?.name && name === submittedName ? result.errors.name : undefined;
  const save = () => {
    setSubmittedName(name);
    submit({ name, folder, definition: JSON.stringify(definition) }, { method: "post" });
  };

  return (
    <Page
      title={data.id ? data.name || t("segments.edit.titleFallback") : t("segments.edit.titleNew")}
      backAction={{ content: t("segments.edit.back"), url: "/app/segments" }}
      primaryAction={{
        content: t("segments.edit.save"),
        onAction: save,
        loading: nav.state === "submitting",
        disabled: localIssues.length > 0,
      }}
      secondaryActions={
        data.id
          ? [
              { content: t("segments.edit.createBroadcast"), url: `/app/broadcasts/new?segmentId=${data.id}` },
              { content: t("segments.edit.delete"), destructive: true, onAction: () => setConfirmDelete(true) },
            ]
          : []
      }
    >
      <Modal
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t("segments.edit.deleteConfirmTitle", { name: data.name })}
        primaryAction={{
          content: t("segments.edit.delete"),
          destructive: true,
          onAction: () => {
            setConfirmDelete(false);
            submit({ intent: "delete" }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: t("common.cancel"), onAction: () => setConfirmDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("segments.edit.deleteConfirmBody")}</Text>
        </Modal.Section>
      </Modal>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.errors?.form && <Banner tone="critical">{result.errors.form}</Banner>}
            {result?.errors?.definition && <Banner tone="critical">{result.errors.definition}</Banner>}
            {data.evaluationError && !result?.saved && (
              <Banner tone="critical" title={t("segments.edit.evaluationError.title")}>
                {data.evaluationIssues?.code === "invalidDefinition" ? (
                  <>
                    <p>{t("segments.edit.evaluationError.invalidDefinition")}</p>
                    <ul>
                      {data.evaluationIssues.issues.map((i, n) => (
                        <li key={n}>{issueText(i)}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p>{t("segments.edit.evaluationError.failed")}</p>
                )}
                <p>{t("segments.edit.evaluationError.body", { since: fmt.dateTime(data.evaluationErrorAt!) })}</p>
              </Banner>
            )}
            {result?.saved && (
              <Banner tone="success">
                {t("segments.edit.saved", { count: data.memberCount ?? 0, formatted: fmt.number(data.memberCount ?? 0) })}
              </Banner>
            )}
            {localIssues.length > 0 && <Banner tone="warning">{t("segments.edit.fixConditions")}</Banner>}
            <Card>
              <BlockStack gap="300">
                <TextField label={t("segments.edit.name")} value={name} onChange={setName} autoComplete="off" error={nameError} />
                <TextField
                  label={t("segments.edit.folder")}
                  value={folder}
                  onChange={setFolder}
                  autoComplete="off"
                  helpText={t("segments.edit.folderHelp")}
                />
              </BlockStack>
            </Card>
            <SegmentEditor
              definition={definition}
              onChange={setDefinition}
              tags={data.tags}
              products={products}
              today={data.today}
              issues={issues}
              integrations={data.integrations as IntegrationChoices}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <PreviewPanel
            preview={localIssues.length ? null : (previewFetcher.data?.preview ?? null)}
            loading={previewFetcher.state !== "idle"}
            issues={localIssues.length ? localIssues : (previewFetcher.data?.issues ?? [])}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <NotFoundBoundary what="segment" backUrl="/app/segments" />;
}
