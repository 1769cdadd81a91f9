-- One storage for automation settings (issue 13; docs/decisions/007-settings-home.md): the
-- abandoned-cart reminder moves from its AutomationSetting row (kind "abandoned_cart", the only kind
-- the app ever wrote) into Shop.settings.abandonedCart = {"enabled": …, "config": …}, beside the
-- lifecycle automations (Shop.settings.lifecycle). The config JSON is moved as stored; the app reads
-- it with the same zod schema as before. A shop without a row keeps no key (it reads the defaults, as
-- before). Then the table goes.
UPDATE "Shop" s
SET settings = (CASE WHEN jsonb_typeof(s.settings) = 'object' THEN s.settings ELSE '{}'::jsonb END)
               || jsonb_build_object('abandonedCart', jsonb_build_object('enabled', a.enabled, 'config', a.config))
FROM "AutomationSetting" a
WHERE a."shopId" = s.id AND a.kind = 'abandoned_cart';

-- DropTable
DROP TABLE "AutomationSetting";
