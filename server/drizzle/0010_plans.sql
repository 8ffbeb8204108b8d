CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"author_id" integer NOT NULL,
	"version" integer NOT NULL,
	"edits" jsonb NOT NULL,
	"cursor" integer NOT NULL,
	"bands" jsonb,
	"touched" jsonb NOT NULL,
	"problems" integer NOT NULL,
	"status" text NOT NULL,
	"revision" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "plans_cursor_in_edits" CHECK ("plans"."cursor" >= 0 and "plans"."cursor" <= jsonb_array_length("plans"."edits"))
);
--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plans_version_idx" ON "plans" USING btree ("version","status");