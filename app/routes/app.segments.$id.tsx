// Segment editor: name, folder, filter groups and a live preview (debounced 400 ms through the
// app.segments.preview resource route). Saving recalculates the member count.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Modal, Page, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useLocalized } from "~/components/I18nProvider";
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
import { usageLabel, type SegmentUsage } from "~/components/segments/usage";
import { useIssueText } from "~/components/segments/issues";
import type { SegmentEvaluationProblem } from "~/services/segments/memberships.server";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { useFormErrors } from "~/components/form-errors";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { SEGMENT_FOLDER_MAX, SEGMENT_NAME_MAX, SegmentEditorForm } from "./app.segments.schema";
import { skipReadOnlyActions } from "~/components/revalidation";

export const shouldRevalidate = skipReadOnlyActions;

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

/**
 * `errors`: field → i18n key (name, folder, definition, or "form"); `issues`: the conditions' problems,
 * shown at each condition; `usedBy`: what keeps the segment from being deleted.
 */
type ActionData = {
  errors: FormErrors;
  /** Parameters of an error's message, per field (the taken name, the length limit). */
  errorParams?: Record<string, Record<string, string | number>>;
  issues: DefinitionIssue[];
  saved: boolean;
  usedBy?: SegmentUsage[];
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const refuse = (errors: FormErrors, status = 422, errorParams?: ActionData["errorParams"]) =>
    json<ActionData>({ errors, errorParams, issues: [], saved: false }, { status });
  const parsed = parseForm(SegmentEditorForm, await request.formData());
  if (!parsed.ok) return refuse(parsed.errors);
  const f = parsed.data;
  try {
    if (f.intent === "delete") {
      if (params.id === "new") return refuse({ form: "segments.errors.notFound" }, 404);
      const r = await deleteSegment(shop.id, Number(params.id));
      if (r.deleted) return redirect("/app/segments");
      return json<ActionData>({ errors: {}, issues: [], saved: false, usedBy: r.usedBy }, { status: 409 });
    }
    const input = { name: f.name, folder: f.folder || null, definition: f.definition };
    const seg = params.id === "new" ? await createSegment(shop.id, input) : await updateSegment(shop.id, Number(params.id), input);
    if (params.id === "new") return redirect(`/app/segments/${seg.id}`);
    return json<ActionData>({ errors: {}, issues: [], saved: true });
  } catch (err) {
    if (err instanceof InvalidDefinitionError) return json<ActionData>({ errors: {}, issues: err.issues, saved: false }, { status: 422 });
    if (err instanceof SegmentError) {
      const field = err.field ?? "form";
      return refuse({ [field]: `segments.errors.${err.code}` }, 422, { [field]: err.params });
    }
    throw err;
  }
};

interface PreviewResponse {
  issues: DefinitionIssue[];
  preview: PreviewData | null;
}

// A new segment's page becomes the saved segment's page (redirect): a fresh editor, saved state included.
export default function SegmentEditPage() {
  const data = useLoaderData<typeof loader>();
  return <SegmentEdit key={data.id ?? "new"} />;
}

function SegmentEdit() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const previewFetcher = useFetcher<PreviewResponse>();
  const localized = useLocalized();
  const form = useDirtyForm({ name: data.name, folder: data.folder, definition: data.definition as SegmentDefinition });
  const { name, folder, definition } = form.values;
  const setName = (name: string) => form.setValues((v) => ({ ...v, name }));
  const setFolder = (folder: string) => form.setValues((v) => ({ ...v, folder }));
  const setDefinition = (definition: SegmentDefinition) => form.setValues((v) => ({ ...v, definition }));
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
      previewFetcher.submit(body, { method: "post", action: localized("/app/segments/preview"), encType: "application/json" });
    }, 400);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [definition, localIssues.length]);

  const { t } = useTranslation();
  const fmt = useFormat();
  const issueText = useIssueText();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The server's errors belong to the values that were submitted: typing new ones clears them.
  const [submitted, setSubmitted] = useState<typeof form.values | null>(null);
  const errors = useFormErrors(result?.errors, result && "errorParams" in result ? result.errorParams : undefined);
  const fieldError = (field: "name" | "folder") => (submitted && form.values[field] === submitted[field] ? errors[field] : undefined);
  const { markSaved } = form;
  useEffect(() => {
    if (result?.saved && submitted) markSaved(submitted);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per action result, not when a new save starts
  }, [result, markSaved]);
  const save = () => {
    setSubmitted(form.values);
    submit({ intent: "save", name, folder, definition: JSON.stringify(definition) }, { method: "post" });
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
      <ContextualSaveBar
        id="segment-save-bar"
        dirty={form.dirty}
        saving={nav.state === "submitting"}
        onSave={save}
        onDiscard={form.reset}
      />
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
            {(errors.form ?? errors.intent) && <Banner tone="critical">{errors.form ?? errors.intent}</Banner>}
            {errors.definition && <Banner tone="critical">{errors.definition}</Banner>}
            {result?.usedBy && (
              <Banner tone="critical">{t("segments.edit.inUse", { names: result.usedBy.map((u) => usageLabel(t, u)).join(", ") })}</Banner>
            )}
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
                <TextField
                  label={t("segments.edit.name")}
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  maxLength={SEGMENT_NAME_MAX}
                  error={fieldError("name")}
                />
                <TextField
                  label={t("segments.edit.folder")}
                  value={folder}
                  onChange={setFolder}
                  autoComplete="off"
                  maxLength={SEGMENT_FOLDER_MAX}
                  helpText={t("segments.edit.folderHelp")}
                  error={fieldError("folder")}
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
