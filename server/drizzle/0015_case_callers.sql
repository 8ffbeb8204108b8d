ALTER TABLE "cases" ADD COLUMN "caller_name" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "caller_phone" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "ticket_no" text;--> statement-breakpoint
CREATE INDEX "cases_ticket_idx" ON "cases" USING btree ("ticket_no") WHERE ticket_no is not null;