// Test friends: staff pick them once (search by name, add, remove); "Send test" goes to them only.
import { Autocomplete, Banner, BlockStack, Card, InlineStack, Tag, Text } from "@shopify/polaris";
import { useFetcher } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TestFriend } from "~/domain/broadcasts/test-label";
import type { FormErrors } from "~/domain/forms/parse";
import { useFormErrors } from "~/components/form-errors";

export function TestFriendsCard({
  testFriends: initial,
  sendButton,
  result,
  error,
}: {
  testFriends: TestFriend[];
  sendButton: ReactNode;
  result: { sent: number; failed: unknown[] } | null;
  error?: string;
}) {
  const { t } = useTranslation();
  const search = useFetcher<{ friends: Array<{ id: number; name: string }> }>();
  const change = useFetcher<{ ok: boolean; errors: FormErrors; testFriends: TestFriend[] }>();
  const changeErrors = useFormErrors(change.data?.errors);
  const [query, setQuery] = useState("");
  const testFriends = change.data?.testFriends ?? initial;
  useEffect(() => {
    search.load(`/app/broadcasts/test-friends?query=${encodeURIComponent(query)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);
  const chosen = new Set(testFriends.map((f) => f.id));
  const options = (search.data?.friends ?? []).filter((f) => !chosen.has(f.id)).map((f) => ({ value: String(f.id), label: f.name }));
  const set = (friendId: number | string, on: boolean) =>
    change.submit({ friendId: String(friendId), testFriend: String(on) }, { method: "post", action: "/app/broadcasts/test-friends" });
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("broadcasts.test.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("broadcasts.test.help")}
        </Text>
        <Autocomplete
          options={options}
          selected={[]}
          onSelect={(ids) => ids[0] && set(ids[0], true)}
          textField={
            <Autocomplete.TextField
              label={t("broadcasts.test.add")}
              value={query}
              onChange={setQuery}
              placeholder={t("broadcasts.test.search")}
              autoComplete="off"
              error={changeErrors.friendId ?? changeErrors.testFriend}
            />
          }
        />
        <InlineStack gap="200">
          {testFriends.length === 0 && (
            <Text as="span" tone="subdued">
              {t("broadcasts.test.none")}
            </Text>
          )}
          {testFriends.map((f) => (
            <Tag key={f.id} onRemove={() => set(f.id, false)}>
              {f.reachable ? f.name : t("broadcasts.test.unreachable", { name: f.name })}
            </Tag>
          ))}
        </InlineStack>
        {error && <Banner tone="critical" title={error} />}
        {sendButton}
        {result && (
          <Banner tone={result.failed.length ? "warning" : "success"} title={t("broadcasts.test.sent", { count: result.sent })}>
            {result.failed.length ? <Text as="p">{t("broadcasts.test.failed", { count: result.failed.length })}</Text> : null}
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}
