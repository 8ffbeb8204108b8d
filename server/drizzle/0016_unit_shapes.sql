CREATE TABLE "unit_shapes" (
	"unit_id" integer NOT NULL,
	"version" integer NOT NULL,
	"polygon" jsonb NOT NULL,
	CONSTRAINT "unit_shapes_unit_id_version_pk" PRIMARY KEY("unit_id","version")
);
