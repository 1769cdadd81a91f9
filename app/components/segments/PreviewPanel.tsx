// Live preview: plain-language summary, matching total, exclusions and the newest 10 members.
import { Avatar, Badge, BlockStack, Card, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { DefinitionIssue } from "~/domain/segments/schema";
import type { PreviewCounts, PreviewSampleView } from "~/domain/segments/preview";
import { useFormat } from "~/components/format";

export interface PreviewData extends PreviewCounts {
  summary: string;
  sample: PreviewSampleView[];
}

export function PreviewPanel({ preview, loading, issues }: { preview: PreviewData | null; loading: boolean; issues: DefinitionIssue[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("segments.preview.title")}
          </Text>
          {loading && <Spinner size="small" accessibilityLabel={t("segments.preview.updating")} />}
        </InlineStack>
        {issues.length > 0 ? (
          <Text as="p" tone="critical">
            {t("segments.preview.fixFirst")}
          </Text>
        ) : preview ? (
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {preview.summary}
            </Text>
            <Text as="p" variant="headingLg" aria-live="polite">
              {t("segments.preview.matches", { count: preview.count, formatted: fmt.number(preview.count) })}
            </Text>
            <Text as="p" tone="subdued">
              {t("segments.preview.excluded", {
                blocked: fmt.number(preview.excluded.blocked),
                optedOut: fmt.number(preview.excluded.optedOut),
              })}
            </Text>
            <BlockStack gap="200">
              {preview.sample.map((s) => (
                <InlineStack key={s.friendId} gap="200" blockAlign="center">
                  <Avatar size="sm" source={s.pictureUrl ?? undefined} name={s.displayName ?? s.lineUserId} />
                  <Text as="span">{s.displayName ?? s.lineUserId}</Text>
                  <Badge tone={s.linked ? "success" : undefined}>
                    {s.linked ? t("segments.preview.linked") : t("segments.preview.notLinked")}
                  </Badge>
                </InlineStack>
              ))}
            </BlockStack>
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("segments.preview.calculating")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
