CREATE TABLE "access_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"unit_id" integer NOT NULL,
	"worker_id" integer,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "access_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"grid_id" integer,
	"case_id" integer,
	"worker_id" integer,
	"raised_at" bigint NOT NULL,
	"resolved_at" bigint,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"user_id" integer,
	"role" text,
	"action" text NOT NULL,
	"input" jsonb,
	"ip" text,
	"ok" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "boundary_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"published_at" bigint NOT NULL,
	"note" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"source" text NOT NULL,
	"category" text NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"grid_id" integer NOT NULL,
	"status" text NOT NULL,
	"tier" text NOT NULL,
	"level" text NOT NULL,
	"description" text NOT NULL,
	"assignee_id" integer,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"on_site" boolean DEFAULT false NOT NULL,
	"reported_at" bigint NOT NULL,
	"deadline_at" bigint,
	"closed_at" bigint,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "cases_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "city" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"profile" text NOT NULL,
	"seed" integer NOT NULL,
	"bbox" jsonb NOT NULL,
	"outline" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"kind" text NOT NULL,
	"type" text NOT NULL,
	"case_id" integer,
	"grid_id" integer,
	"user_id" integer,
	"worker_id" integer,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"community_id" integer NOT NULL,
	"polygon" jsonb NOT NULL,
	"households" integer NOT NULL,
	"population" integer NOT NULL,
	"area_km2" real NOT NULL,
	"urban" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "places" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"grid_id" integer
);
--> statement-breakpoint
CREATE TABLE "roads" (
	"id" integer PRIMARY KEY NOT NULL,
	"class" text NOT NULL,
	"name" text NOT NULL,
	"coords" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"urban" boolean DEFAULT true NOT NULL,
	"polygon" jsonb NOT NULL,
	CONSTRAINT "units_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"unit_id" integer NOT NULL,
	"password_hash" text NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "water" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"polygon" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_positions" (
	"worker_id" integer PRIMARY KEY NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"at" bigint NOT NULL,
	"speed" real NOT NULL,
	"heading" real NOT NULL,
	"accuracy" real NOT NULL,
	"grid_id" integer
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"grid_id" integer NOT NULL,
	"phone" text NOT NULL,
	"duty" text DEFAULT 'off' NOT NULL,
	"home_lng" double precision NOT NULL,
	"home_lat" double precision NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_grid_idx" ON "cases" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "cases_reported_idx" ON "cases" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "events_case_idx" ON "events" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_version_code_idx" ON "grids" USING btree ("version","code");--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "workers_grid_idx" ON "workers" USING btree ("grid_id");