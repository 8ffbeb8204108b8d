CREATE TABLE "address_points" (
	"id" serial PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"households" integer NOT NULL,
	"residents" integer NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "address_points_grid_idx" ON "address_points" USING btree ("grid_id");