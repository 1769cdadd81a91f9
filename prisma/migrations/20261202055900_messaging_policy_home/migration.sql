-- One home for the messaging policy (issue 13): shops configured before the MessagingPolicy table
-- kept quiet hours (whole local hours) and the frequency cap in Shop.settings.marketing, which the
-- app read as a fallback and kept mirroring on every save without reading it again. Their policy
-- becomes a row (a shop that already has a row keeps it: the row was what the app read), and the
-- JSON copy is dropped. No schema change.
INSERT INTO "MessagingPolicy" ("shopId", "quietStart", "quietEnd", "capMax", "capWindowDays", "updatedAt")
SELECT s.id,
       CASE WHEN jsonb_typeof(m->'quietHours') = 'object' THEN lpad((m->'quietHours'->>'start')::int::text, 2, '0') || ':00' END,
       CASE WHEN jsonb_typeof(m->'quietHours') = 'object' THEN lpad((m->'quietHours'->>'end')::int::text, 2, '0') || ':00' END,
       CASE WHEN jsonb_typeof(m->'frequencyCap') = 'object' AND (m->'frequencyCap'->>'max')::int > 0 THEN (m->'frequencyCap'->>'max')::int END,
       CASE WHEN jsonb_typeof(m->'frequencyCap') = 'object' AND (m->'frequencyCap'->>'max')::int > 0 THEN (m->'frequencyCap'->>'days')::int END,
       now()
FROM "Shop" s, LATERAL (SELECT s.settings->'marketing' AS m) legacy
WHERE jsonb_typeof(m) = 'object'
  AND NOT EXISTS (SELECT 1 FROM "MessagingPolicy" p WHERE p."shopId" = s.id);

UPDATE "Shop" SET settings = settings - 'marketing' WHERE settings->'marketing' IS NOT NULL;
