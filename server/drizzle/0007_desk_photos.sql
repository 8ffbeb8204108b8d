ALTER TABLE "photos" ALTER COLUMN "worker_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "user_id" integer;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_uploader_check" CHECK ("photos"."worker_id" is not null or "photos"."user_id" is not null);