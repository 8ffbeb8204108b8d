CREATE TABLE "trajectory_chunks" (
	"worker_id" integer NOT NULL,
	"hour_start" bigint NOT NULL,
	"points" "bytea" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "trajectory_chunks_worker_id_hour_start_pk" PRIMARY KEY("worker_id","hour_start")
);
--> statement-breakpoint
CREATE INDEX "trajectory_hour_idx" ON "trajectory_chunks" USING btree ("hour_start");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_worker_idx" ON "alerts" USING btree ("kind","worker_id") WHERE resolved_at is null and worker_id is not null;--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("resolved_at");