// The send estimate in plain sentences: who gets it, what LINE will not deliver and why, what it
// costs, and trim-to-fit when the quota is short. Numbers come from estimateBroadcast (LINE's real
// quota and consumption × the plan of the shop's LINE region); the cost is in LINE's billing currency.
import { Banner, BlockStack, Checkbox, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import type { CostEstimate } from "~/domain/broadcasts/cost";
import { formatMoney } from "~/domain/format/format";

export type EstimateView = CostEstimate & { planName: string | null; region: string; priced: boolean };

export function EstimateSummary({ estimate: e, trim, onTrim }: { estimate: EstimateView; trim: boolean; onTrim: (v: boolean) => void }) {
  const { t } = useTranslation();
  const { number, ctx } = useFormat();
  const plan = e.planId
    ? t(`broadcasts.estimate.plans.${e.region}.${e.planId}` as "broadcasts.estimate.plans.JP.light", {
        defaultValue: e.planName ?? e.planId,
      })
    : t("broadcasts.estimate.yourPlan");
  const costLine =
    e.extraCost === null
      ? e.priced
        ? t("broadcasts.estimate.costUnknownPlan")
        : t("broadcasts.estimate.costUnknownRegion")
      : e.extraMessages > 0
        ? t("broadcasts.estimate.costExtra", {
            extra: number(e.extraMessages),
            plan,
            cost: formatMoney(e.extraCost, { ...ctx, currency: e.currency! }),
          })
        : t("broadcasts.estimate.costNone");
  return (
    <BlockStack gap="200">
      <Text as="p" id="estimate">
        {t("broadcasts.estimate.recipients", { friends: number(e.recipients), messages: number(e.messages) })}
      </Text>
      {e.quotaKnown && (
        <Text as="p">
          {e.remainingQuota === null
            ? t("broadcasts.estimate.noLimit")
            : t("broadcasts.estimate.left", { remaining: number(e.remainingQuota), plan })}
        </Text>
      )}
      {!e.quotaKnown && (
        <Banner tone="warning" title={t("broadcasts.estimate.quotaUnknownTitle")}>
          <Text as="p">{t("broadcasts.estimate.quotaUnknownBody")}</Text>
        </Banner>
      )}
      {e.exceedsQuota && (
        <Banner
          tone="critical"
          title={t("broadcasts.estimate.notDeliveredTitle", { notDelivered: number(e.notDelivered), messages: number(e.messages) })}
        >
          <BlockStack gap="100" id="not-delivered">
            <Text as="p">{t("broadcasts.estimate.notDeliveredBody", { remaining: number(e.remainingQuota ?? 0) })}</Text>
            {e.extraCost === 0 && e.extraMessages === 0 && e.planId && <Text as="p">{t("broadcasts.estimate.noExtras", { plan })}</Text>}
            {e.recipientsThatFit ? (
              <Checkbox label={t("broadcasts.estimate.trim", { friends: number(e.recipientsThatFit) })} checked={trim} onChange={onTrim} />
            ) : (
              <Text as="p">{t("broadcasts.estimate.nothingFits")}</Text>
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
