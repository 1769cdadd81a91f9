-- Why a segment could not be evaluated, as codes the admin words in the merchant's language
-- ({ code, issues? }); evaluationError keeps the English text for logs, the CLI and the API.
ALTER TABLE "Segment" ADD COLUMN "evaluationIssues" JSONB;
