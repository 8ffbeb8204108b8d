CREATE TABLE "duty_rosters" (
	"grid_id" integer PRIMARY KEY NOT NULL,
	"shifts" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" bigint NOT NULL
);
