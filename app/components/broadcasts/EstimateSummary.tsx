// The send estimate in plain sentences: who gets it, what LINE will not deliver and why, what it
// costs, and trim-to-fit when the quota is short. Numbers come from estimateBroadcast (LINE's real
// quota and consumption × the plan of the shop's region).
import { Banner, BlockStack, Checkbox, Text } from "@shopify/polaris";
import type { CostEstimate } from "~/domain/broadcasts/cost";

export type EstimateView = CostEstimate & { planName: string | null; region: string };

const num = (n: number) => new Intl.NumberFormat("en").format(n);

function money(amount: number, currency: string) {
  return new Intl.NumberFormat("en", { style: "currency", currency, currencyDisplay: "narrowSymbol" }).format(amount);
}

export function EstimateSummary({ estimate: e, trim, onTrim }: { estimate: EstimateView; trim: boolean; onTrim: (v: boolean) => void }) {
  const plan = e.planName ? `the ${e.planName} plan` : "your LINE plan";
  const quotaLine = !e.quotaKnown
    ? null
    : e.remainingQuota === null
      ? "Your LINE plan has no monthly message limit."
      : `${num(e.remainingQuota)} messages left this month on ${plan}.`;
  const costLine =
    e.extraCost === null
      ? e.region === "TH"
        ? "The app doesn't know LINE's prices for Thailand yet: check extra-message charges in LINE Official Account Manager."
        : "The app couldn't tell your LINE plan, so it can't price extra messages."
      : e.extraMessages > 0
        ? `${num(e.extraMessages)} of the delivered messages go beyond ${plan}'s free messages and cost about ${money(e.extraCost, e.currency!)} (excluding tax).`
        : "No extra cost: every delivered message is within your plan's free messages.";
  return (
    <BlockStack gap="200">
      <Text as="p" id="estimate">
        {`${num(e.recipients)} friends will get this: ${num(e.messages)} messages (LINE counts one message per friend per send).`}
      </Text>
      {quotaLine && <Text as="p">{quotaLine}</Text>}
      {!e.quotaKnown && (
        <Banner tone="warning" title="LINE didn't tell us your message quota just now">
          <Text as="p">Whether LINE will deliver every message can't be checked. Try the estimate again in a minute.</Text>
        </Banner>
      )}
      {e.exceedsQuota && (
        <Banner tone="critical" title={`LINE will not deliver ${num(e.notDelivered)} of these ${num(e.messages)} messages`}>
          <BlockStack gap="100" id="not-delivered">
            <Text as="p">
              {`Only ${num(e.remainingQuota ?? 0)} messages are left this month, and LINE refuses a send that goes beyond them. ${
                e.extraCost === 0 && e.extraMessages === 0 && e.planName ? `${e.planName} can't send extra messages.` : ""
              }`}
            </Text>
            {e.recipientsThatFit ? (
              <Checkbox
                label={`Trim to fit: send only to the ${num(e.recipientsThatFit)} most recently active friends`}
                checked={trim}
                onChange={onTrim}
              />
            ) : (
              <Text as="p">
                Nothing more can be sent this month. Your quota resets on the 1st, or upgrade your plan in LINE Official Account Manager.
              </Text>
            )}
          </BlockStack>
        </Banner>
      )}
      <Text as="p" id="estimate-cost">
        {costLine}
      </Text>
    </BlockStack>
  );
}
