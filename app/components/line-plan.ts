// A LINE plan's name in the admin language: LINE's own name for that region's plan
// (`settings.plan.names.<region>.<planId>`), else the name stored with a shop-supplied plan table.
import { useTranslation } from "react-i18next";

export function usePlanName() {
  const { t } = useTranslation();
  return (region: string, plan: { id: string; name: string }) =>
    t(`settings.plan.names.${region}.${plan.id}` as "settings.plan.names.JP.light", { defaultValue: plan.name });
}
