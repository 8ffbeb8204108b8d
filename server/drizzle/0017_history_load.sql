ALTER TABLE "city" ADD COLUMN "history_cases" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "city" ADD COLUMN "history_days" integer;--> statement-breakpoint
ALTER TABLE "city" ADD COLUMN "history_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "city" ADD COLUMN "history_complete_from" bigint;