// "Which menu would this friend see?" on the Menu rules page. Display names are not unique, so a
// search that finds several friends lists them (name, linked customer, LINE user id, friend since)
// and the merchant picks one — never one chosen silently. Posts to the page's action (intent "which").
import { useFetcher } from "@remix-run/react";
import { Avatar, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import type { MenuFriendMatch, WhichMenuWhy } from "~/domain/rich-menus/which-menu";
import { whichMenuReason } from "./text";

/** What the page action answers for intent "which". */
export type WhichMenuAnswer =
  | { matches: MenuFriendMatch[]; more: boolean }
  | { which: { friend: { id: number; lineUserId: string; displayName: string | null }; menuName: string | null } & WhichMenuWhy };

export function WhichMenuCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const fetcher = useFetcher<WhichMenuAnswer>();
  const [query, setQuery] = useState("");
  const ask = (fields: Record<string, string>) => fetcher.submit({ intent: "which", ...fields }, { method: "post" });
  const answer = fetcher.data;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("whichMenu.title")}
        </Text>
        <TextField
          label={t("whichMenu.queryLabel")}
          value={query}
          onChange={setQuery}
          autoComplete="off"
          connectedRight={
            <Button onClick={() => ask({ query })} disabled={!query.trim()} loading={fetcher.state !== "idle"}>
              {t("whichMenu.check")}
            </Button>
          }
        />
        {answer && "matches" in answer && answer.matches.length === 0 && <Text as="p">{t("whichMenu.noFriend")}</Text>}
        {answer && "matches" in answer && answer.matches.length > 0 && (
          <BlockStack gap="100">
            <Text as="p">{t("whichMenu.chooseFriend", { count: answer.matches.length })}</Text>
            {answer.matches.map((m) => (
              <InlineStack key={m.id} gap="200" blockAlign="center" wrap={false}>
                <Avatar size="sm" source={m.pictureUrl ?? undefined} name={m.displayName ?? m.lineUserId} />
                <BlockStack>
                  <Text as="p" fontWeight="semibold">
                    {m.displayName ?? t("friend.noName")}
                  </Text>
                  <Text as="p" tone="subdued" variant="bodySm" breakWord>
                    {m.shopifyCustomerId ? t("whichMenu.linkedCustomer", { id: m.shopifyCustomerId }) : t("whichMenu.notLinked")}
                    {" · "}
                    {m.lineUserId}
                    {m.followedAt ? ` · ${t("whichMenu.friendSince", { date: fmt.date(m.followedAt) })}` : ""}
                  </Text>
                </BlockStack>
                <Button
                  size="slim"
                  onClick={() => ask({ friendId: String(m.id) })}
                  accessibilityLabel={t("whichMenu.pick", { name: m.displayName ?? m.lineUserId })}
                >
                  {t("whichMenu.check")}
                </Button>
              </InlineStack>
            ))}
            {answer.more && (
              <Text as="p" tone="subdued">
                {t("whichMenu.more")}
              </Text>
            )}
          </BlockStack>
        )}
        {answer && "which" in answer && (
          <InlineStack>
            <BlockStack gap="100">
              <Text as="p" fontWeight="bold" id="which-menu">
                {answer.which.menuName
                  ? t("whichMenu.sees", {
                      name: answer.which.friend.displayName ?? answer.which.friend.lineUserId,
                      menu: answer.which.menuName,
                    })
                  : t("whichMenu.seesNone", { name: answer.which.friend.displayName ?? answer.which.friend.lineUserId })}
              </Text>
              <Text as="p" id="which-reason">
                {t("whichMenu.why", { reason: whichMenuReason(t, fmt.dateTime, answer.which) })}
              </Text>
            </BlockStack>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}
