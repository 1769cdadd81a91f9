import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Prisma } from "@prisma/client";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { menusPage } from "~/services/rich-menus/admin.server";
import { createMenuFromTemplate } from "~/services/rich-menus/menus.server";
import { MENU_TEMPLATES } from "~/domain/rich-menus/templates";
import { useFormat } from "~/components/format";
import { useMenuText } from "~/components/rich-menus/text";
import { useFormErrors } from "~/components/form-errors";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { CreateMenuForm } from "./app.rich-menus._index.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await menusPage(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(CreateMenuForm, await request.formData());
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 422 });
  try {
    const m = await createMenuFromTemplate({ shopId: shop.id, ...parsed.data });
    return redirect(`/app/rich-menus/${m.id}`);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      return json({ errors: { name: "richMenus.create.errors.nameTaken" } as FormErrors }, { status: 422 });
    throw err;
  }
};

export default function RichMenus() {
  const { menus, budget, connected } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("large-6");
  const { t } = useTranslation();
  const text = useMenuText();
  const format = useFormat();
  const errors = useFormErrors(data?.errors);
  const focusNewMenu = () => document.getElementById("new-menu-name")?.focus();
  return (
    <Page title={t("richMenus.title")}>
      <Layout>
        {!connected && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={t("richMenus.noChannel.title")}
              action={{ content: t("richMenus.noChannel.action"), url: "/app/settings" }}
            >
              {t("richMenus.noChannel.body")}
            </Banner>
          </Layout.Section>
        )}
        {budget && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("richMenus.budget.title")}
                </Text>
                <Text as="p" id="menu-budget">
                  {t("richMenus.budget.body", {
                    menus: format.number(budget.menus),
                    maxMenus: format.number(budget.maxMenus),
                    creations: format.number(budget.creationsThisHour),
                    maxCreations: format.number(budget.maxCreationsPerHour),
                  })}
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
              resourceName={{ singular: t("richMenus.resource.singular"), plural: t("richMenus.resource.plural") }}
              itemCount={menus.length}
              selectable={false}
              headings={[
                { title: t("richMenus.columns.name") },
                { title: t("richMenus.columns.size") },
                { title: t("richMenus.columns.status") },
                { title: t("richMenus.columns.handoff") },
              ]}
              emptyState={
                <EmptyState
                  heading={t("richMenus.empty.heading")}
                  action={{ content: t("richMenus.empty.action"), onAction: focusNewMenu }}
                  image=""
                >
                  <p>{t("richMenus.empty.body")}</p>
                </EmptyState>
              }
            >
              {menus.map((m, i) => (
                <IndexTable.Row id={String(m.id)} key={m.id} position={i}>
                  <IndexTable.Cell>
                    <a href={`/app/rich-menus/${m.id}`}>{m.name}</a>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{t(`richMenus.size.${m.size === "compact" ? "compact" : "large"}`)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <Badge tone={m.status === "published" ? "success" : undefined}>{text.status(m.status)}</Badge>
                      {m.isDefault && <Badge tone="info">{t("richMenus.badges.default")}</Badge>}
                      {m.editedSincePublish && <Badge tone="attention">{t("richMenus.badges.unpublishedChanges")}</Badge>}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {m.handoff ? t("richMenus.handoffYes") : <Badge tone="warning">{t("richMenus.badges.noHandoff")}</Badge>}
                  </IndexTable.Cell>
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
                  {t("richMenus.create.title")}
                </Text>
                <TextField
                  id="new-menu-name"
                  label={t("richMenus.menuName")}
                  name="name"
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  error={errors.name}
                />
                <Select
                  label={t("richMenus.template")}
                  name="template"
                  options={MENU_TEMPLATES.map((tpl) => ({ label: text.template(tpl), value: tpl.id }))}
                  value={template}
                  onChange={setTemplate}
                  error={errors.template}
                />
                <Button submit variant="primary" loading={nav.state === "submitting"}>
                  {t("richMenus.create.action")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
