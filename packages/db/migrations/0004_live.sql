CREATE TYPE "public"."live_session_status" AS ENUM('booked', 'live', 'interrupted', 'ended');--> statement-breakpoint
CREATE TYPE "public"."live_session_type" AS ENUM('job', 'policy', 'training', 'visit', 'other');--> statement-breakpoint
CREATE TABLE "live_presentations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_presentations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"position" integer NOT NULL,
	"job_id" integer NOT NULL,
	"on_screen_from" timestamp with time zone NOT NULL,
	"on_screen_to" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "live_publish_attempts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_publish_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_address" text NOT NULL,
	"accepted" boolean NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_relays" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_relays_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"label" text NOT NULL,
	"url_encrypted" text NOT NULL,
	"connected_ms" bigint DEFAULT 0 NOT NULL,
	"connects" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_connected_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "live_rundown" (
	"session_id" integer NOT NULL,
	"position" integer NOT NULL,
	"job_id" integer NOT NULL,
	"card" jsonb NOT NULL,
	CONSTRAINT "live_rundown_session_id_position_pk" PRIMARY KEY("session_id","position")
);
--> statement-breakpoint
CREATE TABLE "live_segments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_segments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"media_ms" bigint DEFAULT 0 NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"client_address" text NOT NULL,
	"has_video" boolean DEFAULT false NOT NULL,
	"has_audio" boolean DEFAULT false NOT NULL,
	"recording_key" text NOT NULL,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"type" "live_session_type" NOT NULL,
	"title" text NOT NULL,
	"anchor_name" text NOT NULL,
	"anchor_user_id" integer,
	"slot_start" timestamp with time zone NOT NULL,
	"slot_end" timestamp with time zone NOT NULL,
	"status" "live_session_status" DEFAULT 'booked' NOT NULL,
	"stream_key_hash" text NOT NULL,
	"overlay_token" text NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"forced" boolean DEFAULT false NOT NULL,
	"ended_by" integer,
	"qualified" boolean,
	"verdict" jsonb,
	"recording_key" text,
	"thumbnail_keys" text[],
	"evidence_json_key" text,
	"evidence_html_key" text,
	"finalized_at" timestamp with time zone,
	"finalize_error" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "live_presentations" ADD CONSTRAINT "live_presentations_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_publish_attempts" ADD CONSTRAINT "live_publish_attempts_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_relays" ADD CONSTRAINT "live_relays_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_rundown" ADD CONSTRAINT "live_rundown_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_segments" ADD CONSTRAINT "live_segments_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_anchor_user_id_users_id_fk" FOREIGN KEY ("anchor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_presentations_session_idx" ON "live_presentations" USING btree ("session_id","on_screen_from");--> statement-breakpoint
CREATE INDEX "live_publish_attempts_session_idx" ON "live_publish_attempts" USING btree ("session_id","at");--> statement-breakpoint
CREATE INDEX "live_relays_session_idx" ON "live_relays" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "live_segments_seq_idx" ON "live_segments" USING btree ("session_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "live_sessions_key_idx" ON "live_sessions" USING btree ("stream_key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "live_sessions_overlay_idx" ON "live_sessions" USING btree ("overlay_token");--> statement-breakpoint
CREATE INDEX "live_sessions_site_idx" ON "live_sessions" USING btree ("site_id","slot_start");--> statement-breakpoint
CREATE INDEX "live_sessions_status_idx" ON "live_sessions" USING btree ("status");