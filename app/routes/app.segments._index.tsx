import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
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
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listFolders } from "~/db/segments.server";
import { deleteSegment, listSegments } from "~/services/segments/segments.server";

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
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    const result = await deleteSegment(shop.id, Number(form.get("id")));
    return json(result, { status: result.deleted ? 200 : 409 });
  }
  return json({ deleted: false, usedBy: [] }, { status: 400 });
};

const USAGE_LABEL = { broadcast: "Broadcast", automation: "Automation", menuRule: "Menu rule", tagRule: "Tag rule" } as const;

export default function SegmentsIndex() {
  const { segments, folders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const folder = params.get("folder") ?? "";

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
    <Page title="Segments" primaryAction={{ content: "Create segment", url: "/app/segments/new" }}>
      <BlockStack gap="400">
        {result && "usedBy" in result && !result.deleted && (
          <Banner tone="critical" title="This segment is in use and was not deleted">
            <ul>
              {result.usedBy.map((u) => (
                <li key={`${u.kind}-${u.id}`}>{`${USAGE_LABEL[u.kind]}: ${u.name}`}</li>
              ))}
            </ul>
          </Banner>
        )}
        <Card padding="0">
          <Box>
            <InlineStack gap="300" blockAlign="end">
              <div style={{ flex: 1, padding: "12px" }}>
                <TextField
                  label="Search segments"
                  labelHidden
                  placeholder="Search segments"
                  value={q}
                  onChange={setQ}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => setQ("")}
                />
              </div>
              <div style={{ padding: "12px" }}>
                <Select
                  label="Folder"
                  labelInline
                  options={[
                    { label: "All folders", value: "" },
                    { label: "No folder", value: "none" },
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
            <EmptyState heading="No segments yet" action={{ content: "Create segment", url: "/app/segments/new" }} image="">
              <p>Segments are always-current audiences for broadcasts, automations and rich menus.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "segment", plural: "segments" }}
              itemCount={segments.length}
              selectable={false}
              headings={[{ title: "Name" }, { title: "Friends" }, { title: "Used by" }, { title: "Last updated" }, { title: "Actions" }]}
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
                          <Badge tone="critical">Not evaluated</Badge>
                          <Text as="span" tone="critical" variant="bodySm">
                            {s.evaluationError}
                          </Text>
                        </InlineStack>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{s.memberCount === null ? "—" : s.memberCount.toLocaleString()}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      {s.usage.length === 0 ? (
                        <Text as="span" tone="subdued">
                          Not used
                        </Text>
                      ) : (
                        s.usage.map((u) => <Badge key={`${u.kind}-${u.id}`}>{`${USAGE_LABEL[u.kind]}: ${u.name}`}</Badge>)
                      )}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{new Date(s.updatedAt).toLocaleString()}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200">
                      <Button url={`/app/broadcasts/new?segmentId=${s.id}`} size="slim">
                        Create broadcast
                      </Button>
                      <Form method="post">
                        <input type="hidden" name="intent" value="delete" />
                        <input type="hidden" name="id" value={s.id} />
                        <Button
                          submit
                          size="slim"
                          tone="critical"
                          variant="plain"
                          accessibilityLabel={`Delete ${s.name}`}
                          loading={nav.state === "submitting" && nav.formData?.get("id") === String(s.id)}
                        >
                          Delete
                        </Button>
                      </Form>
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
