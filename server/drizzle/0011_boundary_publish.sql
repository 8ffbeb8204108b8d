ALTER TABLE "boundary_versions" ADD COLUMN "effective_at" bigint;--> statement-breakpoint
ALTER TABLE "boundary_versions" ADD COLUMN "activated_at" bigint;--> statement-breakpoint
-- Versions of a record made before this migration were in force from their publication (added by hand to the generated file).
UPDATE "boundary_versions" SET "effective_at" = "published_at", "activated_at" = "published_at";--> statement-breakpoint
ALTER TABLE "boundary_versions" ALTER COLUMN "effective_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "boundary_versions" ADD COLUMN "plan_id" integer;--> statement-breakpoint
ALTER TABLE "boundary_versions" ADD COLUMN "published_by" integer;--> statement-breakpoint
ALTER TABLE "boundary_versions" ADD COLUMN "report" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "boundary_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "grids" ADD COLUMN "retired_in" integer;--> statement-breakpoint
ALTER TABLE "boundary_versions" ADD CONSTRAINT "boundary_versions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grids_live_code_idx" ON "grids" USING btree ("code") WHERE retired_in is null;