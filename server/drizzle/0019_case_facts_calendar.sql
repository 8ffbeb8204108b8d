ALTER TABLE "case_facts" ADD COLUMN "registered_day" integer;--> statement-breakpoint
ALTER TABLE "case_facts" ADD COLUMN "calendar_id" text;