CREATE TYPE "public"."fair_kind" AS ENUM('ai', 'onsite');--> statement-breakpoint
CREATE TYPE "public"."playlist_mode" AS ENUM('auto', 'manual');--> statement-breakpoint
CREATE TABLE "fair_employers" (
	"fair_id" integer NOT NULL,
	"employer_id" integer NOT NULL,
	"job_ids" integer[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "fair_employers_fair_id_employer_id_pk" PRIMARY KEY("fair_id","employer_id")
);
--> statement-breakpoint
CREATE TABLE "fair_photos" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fair_photos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"fair_id" integer NOT NULL,
	"storage_key" text NOT NULL,
	"display_name" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" bigint NOT NULL,
	"uploaded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fair_playlist_items" (
	"fair_id" integer NOT NULL,
	"position" integer NOT NULL,
	"render_id" integer NOT NULL,
	CONSTRAINT "fair_playlist_items_fair_id_position_pk" PRIMARY KEY("fair_id","position")
);
--> statement-breakpoint
CREATE TABLE "fairs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fairs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"kind" "fair_kind" NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"venue" text NOT NULL,
	"group_id" integer,
	"job_seekers" integer,
	"offers" integer,
	"plan" text,
	"summary" text,
	"plan_key" text,
	"plan_name" text,
	"summary_key" text,
	"summary_name" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screen_group_items" (
	"group_id" integer NOT NULL,
	"position" integer NOT NULL,
	"render_id" integer NOT NULL,
	CONSTRAINT "screen_group_items_group_id_position_pk" PRIMARY KEY("group_id","position")
);
--> statement-breakpoint
CREATE TABLE "screen_groups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screen_groups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"name" text NOT NULL,
	"mode" "playlist_mode" DEFAULT 'auto' NOT NULL,
	"auto_limit" integer DEFAULT 20 NOT NULL,
	"windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"live_session_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screen_pairings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screen_pairings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"screen_id" integer,
	"used_at" timestamp with time zone,
	"client_address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screen_plays" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screen_plays_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"screen_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"play_id" text NOT NULL,
	"render_id" integer NOT NULL,
	"job_ids" integer[] DEFAULT '{}' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"played_ms" integer NOT NULL,
	"completed" boolean NOT NULL,
	"clock_offset_ms" bigint DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"paired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paired_by" integer,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"last_beat" jsonb,
	"last_address" text
);
--> statement-breakpoint
ALTER TABLE "renders" ADD COLUMN "output_sha256" text;--> statement-breakpoint
ALTER TABLE "fair_employers" ADD CONSTRAINT "fair_employers_fair_id_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."fairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_photos" ADD CONSTRAINT "fair_photos_fair_id_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."fairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_photos" ADD CONSTRAINT "fair_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_playlist_items" ADD CONSTRAINT "fair_playlist_items_fair_id_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."fairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_playlist_items" ADD CONSTRAINT "fair_playlist_items_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fairs" ADD CONSTRAINT "fairs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fairs" ADD CONSTRAINT "fairs_group_id_screen_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."screen_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fairs" ADD CONSTRAINT "fairs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_group_items" ADD CONSTRAINT "screen_group_items_group_id_screen_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."screen_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_group_items" ADD CONSTRAINT "screen_group_items_render_id_renders_id_fk" FOREIGN KEY ("render_id") REFERENCES "public"."renders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_groups" ADD CONSTRAINT "screen_groups_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_groups" ADD CONSTRAINT "screen_groups_live_session_id_live_sessions_id_fk" FOREIGN KEY ("live_session_id") REFERENCES "public"."live_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_pairings" ADD CONSTRAINT "screen_pairings_screen_id_screens_id_fk" FOREIGN KEY ("screen_id") REFERENCES "public"."screens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_plays" ADD CONSTRAINT "screen_plays_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_plays" ADD CONSTRAINT "screen_plays_screen_id_screens_id_fk" FOREIGN KEY ("screen_id") REFERENCES "public"."screens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screens" ADD CONSTRAINT "screens_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screens" ADD CONSTRAINT "screens_group_id_screen_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."screen_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screens" ADD CONSTRAINT "screens_paired_by_users_id_fk" FOREIGN KEY ("paired_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fair_photos_fair_idx" ON "fair_photos" USING btree ("fair_id");--> statement-breakpoint
CREATE INDEX "fairs_site_time_idx" ON "fairs" USING btree ("site_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "screen_groups_site_name_idx" ON "screen_groups" USING btree ("site_id","name");--> statement-breakpoint
CREATE INDEX "screen_pairings_code_idx" ON "screen_pairings" USING btree ("code","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "screen_pairings_token_idx" ON "screen_pairings" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "screen_plays_play_idx" ON "screen_plays" USING btree ("screen_id","play_id");--> statement-breakpoint
CREATE INDEX "screen_plays_group_time_idx" ON "screen_plays" USING btree ("group_id","started_at");--> statement-breakpoint
CREATE INDEX "screen_plays_site_time_idx" ON "screen_plays" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "screens_token_idx" ON "screens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "screens_site_idx" ON "screens" USING btree ("site_id","group_id");