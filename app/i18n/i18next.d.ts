// Typed translation keys: `t("nav.home")` is checked against the English resources at typecheck.
import "i18next";
import type admin from "~/locales/en/admin.json";
import type customer from "~/locales/en/customer.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "admin";
    resources: { admin: typeof admin; customer: typeof customer };
  }
}
