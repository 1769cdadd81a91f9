import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, IndexTable, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { listBroadcasts } from "~/services/broadcasts/broadcasts.server";
import { useTranslation } from "react-i18next";

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
  scheduled: "info",
  failed: "critical",
};

export default function Broadcasts() {
  const { broadcasts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <Page
      title="Broadcasts"
      primaryAction={{ content: "New broadcast", url: "/app/broadcasts/new" }}
      secondaryActions={[{ content: t("assistant.entry"), url: "/app/segments#assistant" }]}
    >
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: "broadcast", plural: "broadcasts" }}
          itemCount={broadcasts.length}
          selectable={false}
          headings={[
            { title: "Name" },
            { title: "Status" },
            { title: "Targeted" },
            { title: "Sent" },
            { title: "Failed" },
            { title: "Scheduled / created" },
          ]}
        >
          {broadcasts.map((b, i) => (
            <IndexTable.Row id={String(b.id)} key={b.id} position={i}>
              <IndexTable.Cell>
                <a href={`/app/broadcasts/${b.id}`}>{b.name}</a>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={TONE[b.status]}>{b.status}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{b.targeted}</IndexTable.Cell>
              <IndexTable.Cell>{b.sent}</IndexTable.Cell>
              <IndexTable.Cell>{b.failed}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span">{new Date(b.scheduledAt ?? b.createdAt).toLocaleString()}</Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
