ALTER TABLE "coverage_reports" ADD COLUMN "evidence_key" text;--> statement-breakpoint
ALTER TABLE "coverage_reports" ADD COLUMN "evidence_name" text;--> statement-breakpoint
ALTER TABLE "coverage_reports" ADD COLUMN "evidence_bytes" integer;