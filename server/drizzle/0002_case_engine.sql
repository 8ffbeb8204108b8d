ALTER TABLE "cases" ADD COLUMN "assignee_department" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "parked_at" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "merged_into" integer;