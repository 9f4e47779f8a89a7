CREATE TYPE "public"."render_kind" AS ENUM('video', 'poster', 'flyer');--> statement-breakpoint
CREATE TYPE "public"."render_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "flyer_issues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "flyer_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"month" date NOT NULL,
	"issue_number" integer NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"copies_planned" integer DEFAULT 1000 NOT NULL,
	"copies_printed" integer,
	"printed_at" date,
	"copies_distributed" integer,
	"distributed_at" date,
	"distributed_place" text,
	"render_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "renders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "renders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"kind" "render_kind" NOT NULL,
	"template" text NOT NULL,
	"status" "render_status" DEFAULT 'queued' NOT NULL,
	"progress" smallint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_ids" integer[] DEFAULT '{}' NOT NULL,
	"request" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ai_video" boolean DEFAULT false NOT NULL,
	"flyer_issue_id" integer,
	"output_key" text,
	"cover_key" text,
	"preview_keys" text[],
	"mime_type" text,
	"width" integer,
	"height" integer,
	"duration_s" real,
	"pages" integer,
	"bytes" bigint,
	"error_code" text,
	"error_message" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "hotline" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "logo_key" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "primary_color" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "accent_color" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "qr_url" text;--> statement-breakpoint
ALTER TABLE "flyer_issues" ADD CONSTRAINT "flyer_issues_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flyer_issues" ADD CONSTRAINT "flyer_issues_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_flyer_issue_id_flyer_issues_id_fk" FOREIGN KEY ("flyer_issue_id") REFERENCES "public"."flyer_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renders" ADD CONSTRAINT "renders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "flyer_issues_site_month_idx" ON "flyer_issues" USING btree ("site_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "flyer_issues_site_number_idx" ON "flyer_issues" USING btree ("site_id","issue_number");--> statement-breakpoint
CREATE INDEX "renders_site_idx" ON "renders" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "renders_unfinished_idx" ON "renders" USING btree ("status","heartbeat_at");