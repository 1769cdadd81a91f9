import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
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
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { menusPage } from "~/services/rich-menus/admin.server";
import { createMenuFromTemplate } from "~/services/rich-menus/menus.server";
import { MENU_TEMPLATES } from "~/domain/rich-menus/templates";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await menusPage(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const name = String(form.get("name") ?? "").trim();
  const template = String(form.get("template") ?? "");
  const errors: Record<string, string> = {};
  if (!name) errors.name = "Name is required";
  if (!MENU_TEMPLATES.some((t) => t.id === template)) errors.template = "Pick a template";
  if (Object.keys(errors).length) return json({ errors }, { status: 422 });
  try {
    const m = await createMenuFromTemplate({ shopId: shop.id, name, template });
    return redirect(`/app/rich-menus/${m.id}`);
  } catch (err) {
    const unique = err instanceof Error && /Unique constraint/i.test(err.message);
    return json({ errors: { name: unique ? "A menu with this name already exists" : String(err) } }, { status: 422 });
  }
};

export default function RichMenus() {
  const { menus, budget, connected } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("large-6");
  const errors = (data?.errors ?? {}) as Record<string, string>;
  return (
    <Page title="Rich menus">
      <Layout>
        {!connected && (
          <Layout.Section>
            <Banner tone="warning" title="No LINE channel connected">
              Connect your channel in Settings to publish menus.
            </Banner>
          </Layout.Section>
        )}
        {budget && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  LINE budget
                </Text>
                <Text as="p" id="menu-budget">
                  {budget.menus.toLocaleString()} of {budget.maxMenus.toLocaleString()} menus, {budget.creationsThisHour} of{" "}
                  {budget.maxCreationsPerHour} creations this hour
                </Text>
                <ProgressBar
                  progress={(budget.creationsThisHour / budget.maxCreationsPerHour) * 100}
                  size="small"
                  tone={budget.creationsThisHour >= 90 ? "critical" : "primary"}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "menu", plural: "menus" }}
              itemCount={menus.length}
              selectable={false}
              headings={[{ title: "Name" }, { title: "Size" }, { title: "Status" }, { title: "Reach a person" }]}
            >
              {menus.map((m, i) => (
                <IndexTable.Row id={String(m.id)} key={m.id} position={i}>
                  <IndexTable.Cell>
                    <a href={`/app/rich-menus/${m.id}`}>{m.name}</a>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.size}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <Badge tone={m.status === "published" ? "success" : undefined}>{m.status}</Badge>
                      {m.isDefault && <Badge tone="info">default</Badge>}
                      {m.editedSincePublish && <Badge tone="attention">unpublished changes</Badge>}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.handoff ? "Yes" : <Badge tone="warning">No “Talk to us”</Badge>}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  New menu
                </Text>
                <TextField label="Menu name" name="name" value={name} onChange={setName} autoComplete="off" error={errors.name} />
                <Select
                  label="Template"
                  name="template"
                  options={MENU_TEMPLATES.map((t) => ({ label: t.label, value: t.id }))}
                  value={template}
                  onChange={setTemplate}
                  error={errors.template}
                />
                <Button submit variant="primary" loading={nav.state === "submitting"}>
                  Create menu
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
