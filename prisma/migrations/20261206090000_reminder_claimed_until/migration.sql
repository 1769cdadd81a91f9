-- Abandoned-cart reminders due in the same moment are sent in one batch job; the claim keeps two
-- batches of one shop from taking the same reminder (app/services/automations/abandoned-cart.server.ts).
ALTER TABLE "Reminder" ADD COLUMN "claimedUntil" TIMESTAMP(3);
