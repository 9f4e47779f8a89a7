-- What each imported row costs PostgreSQL (measured on the million-row import benchmark): the
-- employer foreign key's check and row lock (11 µs a row), jsonb parsing of the source record,
-- which json stores as read (11 µs a row), and the source record's column names, now kept once
-- per batch in import_batches.columns (30% of the bytes written). See src/schema/jobs.ts.
ALTER TABLE "jobs" DROP CONSTRAINT "jobs_employer_id_employers_id_fk";
--> statement-breakpoint
ALTER TABLE "job_versions" ALTER COLUMN "record" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "source_record" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "columns" json;