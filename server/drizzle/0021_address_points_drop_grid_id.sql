DROP INDEX "address_points_grid_idx";--> statement-breakpoint
ALTER TABLE "address_points" DROP COLUMN "grid_id";