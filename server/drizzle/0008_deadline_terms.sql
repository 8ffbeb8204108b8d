CREATE TABLE "category_overrides" (
	"code" text PRIMARY KEY NOT NULL,
	"override" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_calendars" (
	"unit_id" integer PRIMARY KEY NOT NULL,
	"calendar_id" text NOT NULL,
	"updated_by" integer,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_calendars" (
	"id" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"calendar" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" bigint NOT NULL,
	"deleted_at" bigint
);
--> statement-breakpoint
ALTER TABLE "unit_calendars" ADD CONSTRAINT "unit_calendars_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_calendars" ADD CONSTRAINT "unit_calendars_calendar_id_work_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."work_calendars"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_calendars_calendar_idx" ON "unit_calendars" USING btree ("calendar_id");