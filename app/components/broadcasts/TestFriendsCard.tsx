// Test friends: staff pick them once (search by name, add, remove); "Send test" goes to them only.
import { Autocomplete, Banner, BlockStack, Card, InlineStack, Tag, Text } from "@shopify/polaris";
import { useFetcher } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import type { TestFriend } from "~/domain/broadcasts/test-label";

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
  const search = useFetcher<{ friends: Array<{ id: number; name: string }> }>();
  const change = useFetcher<{ ok: boolean; testFriends: TestFriend[] }>();
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
          Test send
        </Text>
        <Text as="p" tone="subdued">
          Tests go only to the test friends below (usually your staff), marked [TEST]. Customers never get them.
        </Text>
        <Autocomplete
          options={options}
          selected={[]}
          onSelect={(ids) => ids[0] && set(ids[0], true)}
          textField={
            <Autocomplete.TextField
              label="Add a test friend"
              value={query}
              onChange={setQuery}
              placeholder="Search friends by name"
              autoComplete="off"
            />
          }
        />
        <InlineStack gap="200" aria-label="Test friends">
          {testFriends.length === 0 && (
            <Text as="span" tone="subdued">
              No test friends yet.
            </Text>
          )}
          {testFriends.map((f) => (
            <Tag key={f.id} onRemove={() => set(f.id, false)}>
              {f.reachable ? f.name : `${f.name} (can't receive: blocked or unfollowed)`}
            </Tag>
          ))}
        </InlineStack>
        {error && <Banner tone="critical" title={error} />}
        {sendButton}
        {result && (
          <Banner tone={result.failed.length ? "warning" : "success"} title={`Test sent to ${result.sent} test friend(s), marked [TEST]`}>
            {result.failed.length ? <Text as="p">{`${result.failed.length} could not be reached.`}</Text> : null}
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}
