// Segment editor: name, folder, filter groups and a live preview (debounced 400 ms through the
// app.segments.preview resource route). Saving recalculates the member count.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { findSegment } from "~/db/segments.server";
import { db } from "~/db.server";
import {
  editableDefinition,
  InvalidDefinitionError,
  parseDefinition,
  type DefinitionIssue,
  type SegmentDefinition,
} from "~/domain/segments/schema";
import { dateOfDayNumber, localDayNumber } from "~/domain/segments/dates";
import { createSegment, deleteSegment, SegmentError, updateSegment } from "~/services/segments/segments.server";
import { SegmentEditor } from "~/components/segments/SegmentEditor";
import { PreviewPanel, type PreviewData } from "~/components/segments/PreviewPanel";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const isNew = params.id === "new";
  const seg = isNew ? null : await findSegment(shop.id, Number(params.id));
  if (!isNew && !seg) throw new Response("Segment not found", { status: 404 });
  const tags = await db().tag.findMany({ where: { shopId: shop.id }, select: { name: true }, orderBy: { name: "asc" } });
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
    tags: tags.map((t) => t.name),
    today: dateOfDayNumber(localDayNumber(new Date(), shop.timezone)),
  });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  if (form.get("intent") === "delete" && params.id !== "new") {
    const r = await deleteSegment(shop.id, Number(params.id));
    if (r.deleted) return redirect("/app/segments");
    return json(
      {
        errors: { form: `In use by: ${r.usedBy.map((u) => u.name).join(", ")}` } as Record<string, string>,
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
      { errors: { form: "The definition is not valid JSON" } as Record<string, string>, issues: [] as DefinitionIssue[], saved: false },
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
        { errors: { [err.field ?? "form"]: err.message } as Record<string, string>, issues: [] as DefinitionIssue[], saved: false },
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

  const save = () => submit({ name, folder, definition: JSON.stringify(definition) }, { method: "post" });

  return (
    <Page
      title={data.id ? data.name || "Segment" : "New segment"}
      backAction={{ content: "Segments", url: "/app/segments" }}
      primaryAction={{ content: "Save segment", onAction: save, loading: nav.state === "submitting", disabled: localIssues.length > 0 }}
      secondaryActions={
        data.id
          ? [
              { content: "Create broadcast", url: `/app/broadcasts/new?segmentId=${data.id}` },
              { content: "Delete", destructive: true, onAction: () => submit({ intent: "delete" }, { method: "post" }) },
            ]
          : []
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.errors?.form && <Banner tone="critical">{result.errors.form}</Banner>}
            {result?.errors?.definition && <Banner tone="critical">{result.errors.definition}</Banner>}
            {data.evaluationError && !result?.saved && (
              <Banner tone="critical" title="This segment could not be evaluated">
                <p>{data.evaluationError}</p>
                <p>
                  {`Since ${new Date(data.evaluationErrorAt!).toLocaleString()} its members have not changed; the shop's other segments are not affected. Fix the definition and save it.`}
                </p>
              </Banner>
            )}
            {result?.saved && <Banner tone="success">{`Saved. ${data.memberCount?.toLocaleString() ?? "—"} friends at save time.`}</Banner>}
            <Card>
              <BlockStack gap="300">
                <TextField label="Segment name" value={name} onChange={setName} autoComplete="off" error={result?.errors?.name} />
                <TextField label="Folder" value={folder} onChange={setFolder} autoComplete="off" helpText="Optional; created when new" />
              </BlockStack>
            </Card>
            <SegmentEditor definition={definition} onChange={setDefinition} tags={data.tags} today={data.today} issues={issues} />
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
