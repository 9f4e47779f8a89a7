-- Keep the version a change replaces, whatever statement changes it: done in the database, so an
-- import racing another import on the same posting cannot overwrite a version unrecorded.
CREATE FUNCTION jobs_keep_replaced_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO job_versions (job_id, batch_id, row_number, content_hash, record, snapshot)
  VALUES (
    OLD.id, OLD.last_batch_id, OLD.source_row, OLD.content_hash, OLD.source_record,
    to_jsonb(OLD) - 'source_record' - 'fingerprint' - 'content_hash'
  );
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER jobs_keep_replaced_version
  BEFORE UPDATE ON jobs
  FOR EACH ROW
  WHEN (OLD.content_hash IS DISTINCT FROM NEW.content_hash)
  EXECUTE FUNCTION jobs_keep_replaced_version();
