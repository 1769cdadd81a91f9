// Live preview: plain-language summary, matching total, exclusions and the newest 10 members.
import { Avatar, Badge, BlockStack, Card, InlineStack, Spinner, Text } from "@shopify/polaris";
import type { DefinitionIssue } from "~/domain/segments/schema";

export interface PreviewData {
  summary: string;
  count: number;
  excluded: { blocked: number; optedOut: number };
  sample: Array<{ friendId: number; lineUserId: string; displayName: string | null; pictureUrl: string | null; linked: boolean }>;
}

export function PreviewPanel({ preview, loading, issues }: { preview: PreviewData | null; loading: boolean; issues: DefinitionIssue[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Preview
          </Text>
          {loading && <Spinner size="small" accessibilityLabel="Updating preview" />}
        </InlineStack>
        {issues.length > 0 ? (
          <Text as="p" tone="critical">
            Fix the highlighted conditions to see a preview.
          </Text>
        ) : preview ? (
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {preview.summary}
            </Text>
            <Text as="p" variant="headingLg" aria-live="polite">
              {`${preview.count.toLocaleString()} ${preview.count === 1 ? "friend matches" : "friends match"}`}
            </Text>
            <Text as="p" tone="subdued">
              {`Excluded from sends: ${preview.excluded.blocked.toLocaleString()} blocked, ${preview.excluded.optedOut.toLocaleString()} opted out of marketing`}
            </Text>
            <BlockStack gap="200">
              {preview.sample.map((s) => (
                <InlineStack key={s.friendId} gap="200" blockAlign="center">
                  <Avatar size="sm" source={s.pictureUrl ?? undefined} name={s.displayName ?? s.lineUserId} />
                  <Text as="span">{s.displayName ?? s.lineUserId}</Text>
                  <Badge tone={s.linked ? "success" : undefined}>{s.linked ? "Linked" : "Not linked"}</Badge>
                </InlineStack>
              ))}
            </BlockStack>
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            Calculating…
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
