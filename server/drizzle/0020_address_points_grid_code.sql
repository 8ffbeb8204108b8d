-- Address points are keyed by grid code from here on: a code outlives a reshape, so a version that
-- moves a border rewrites only the points that crossed it. Existing points take their grid's code.
ALTER TABLE "address_points" ADD COLUMN "grid_code" text;--> statement-breakpoint
UPDATE "address_points" AS p SET "grid_code" = g."code" FROM "grids" AS g WHERE g."id" = p."grid_id";--> statement-breakpoint
ALTER TABLE "address_points" ALTER COLUMN "grid_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "address_points_grid_code_idx" ON "address_points" USING btree ("grid_code");
