ALTER TABLE "publications" ADD COLUMN "ai_tool" text;--> statement-breakpoint
ALTER TABLE "renders" ADD COLUMN "ai_components" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "renders" ADD COLUMN "script" text;--> statement-breakpoint
ALTER TABLE "renders" ADD COLUMN "captions_key" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "voice_provider" text DEFAULT 'espeak' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "voice" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "voice_rate" real DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Until now a template's flag made a video "AI"; no AI made those. A video is AI only by its record.
UPDATE "renders" SET "ai_video" = false WHERE "ai_components" = '[]'::jsonb;--> statement-breakpoint
UPDATE "publications" SET "ai_video" = false FROM "renders" WHERE "publications"."render_id" = "renders"."id" AND NOT "renders"."ai_video";
