CREATE TABLE "case_facts" (
	"case_id" integer PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"version" integer NOT NULL,
	"registered_at" bigint,
	"last_event_at" bigint NOT NULL,
	"voided" boolean NOT NULL,
	"merged" boolean NOT NULL,
	"parked_at_end" boolean NOT NULL,
	"closed" boolean NOT NULL,
	"closed_on_time" boolean NOT NULL,
	"closed_at" bigint,
	"closed_with_primary" boolean NOT NULL,
	"handled" boolean NOT NULL,
	"on_site" boolean NOT NULL,
	"in_grid" boolean NOT NULL,
	"verified_once" boolean NOT NULL,
	"reworked" boolean NOT NULL,
	"handled_late" boolean NOT NULL,
	"handle_deadline_at" bigint,
	"worker" text,
	"department" text,
	"step_ms" bigint[] NOT NULL,
	"step_count" integer[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_facts_registered_idx" ON "case_facts" USING btree ("registered_at");--> statement-breakpoint
CREATE INDEX "case_facts_closed_idx" ON "case_facts" USING btree ("closed_at");