import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listBroadcasts } from "~/services/broadcasts/broadcasts.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const rows = await listBroadcasts(s.id);
  return json({
    broadcasts: rows.map((b) => ({
      id: b.id,
      name: b.name,
      status: b.status,
      targeted: b.targeted,
      sent: b.sent,
      failed: b.failed,
      scheduledAt: b.scheduledAt,
      createdAt: b.createdAt,
    })),
  });
};

const TONE: Record<string, "success" | "info" | "attention" | "critical" | undefined> = {
  sent: "success",
  sending: "attention",
  preparing: "attention",
  testing: "attention",
  scheduled: "info",
  failed: "critical",
};

export default function Broadcasts() {
  const { broadcasts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { dateTime, number } = useFormat();
  return (
    <Page
      title={t("broadcasts.list.title")}
      primaryAction={{ content: t("broadcasts.list.new"), url: "/app/broadcasts/new" }}
      secondaryActions={[{ content: t("assistant.entry"), url: "/app/segments#assistant" }]}
    >
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: t("broadcasts.list.singular"), plural: t("broadcasts.list.plural") }}
          itemCount={broadcasts.length}
          selectable={false}
          emptyState={
            <EmptyState
              heading={t("broadcasts.list.emptyTitle")}
              action={{ content: t("broadcasts.list.new"), url: "/app/broadcasts/new" }}
              image=""
            >
              <p>{t("broadcasts.list.emptyBody")}</p>
            </EmptyState>
          }
          headings={[
            { title: t("broadcasts.list.name") },
            { title: t("broadcasts.list.status") },
            { title: t("broadcasts.list.targeted") },
            { title: t("broadcasts.list.sent") },
            { title: t("broadcasts.list.failed") },
            { title: t("broadcasts.list.when") },
          ]}
        >
          {broadcasts.map((b, i) => (
            <IndexTable.Row id={String(b.id)} key={b.id} position={i}>
              <IndexTable.Cell>
                <Link to={`/app/broadcasts/${b.id}`}>{b.name}</Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={TONE[b.status]}>{t(`broadcasts.status.${b.status}` as "broadcasts.status.sent")}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{number(b.targeted)}</IndexTable.Cell>
              <IndexTable.Cell>{number(b.sent)}</IndexTable.Cell>
              <IndexTable.Cell>{number(b.failed)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span">{dateTime(b.scheduledAt ?? b.createdAt)}</Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
