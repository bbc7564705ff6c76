ALTER TABLE "articles" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "moderators" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "moderators" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "settings" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "created_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "status_changed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "ip_collected_at" timestamp (3) with time zone;--> statement-breakpoint
-- Rows from before this migration: when spam or trash got its status, and when an imported IP
-- arrived, were not kept. Their retention starts at this upgrade, so that nothing is purged
-- sooner than the settings promise; a comment submitted here collected its IP when it was made.
UPDATE "comments" SET
  "status_changed_at" = CASE WHEN "status" IN ('spam', 'trash') THEN greatest("created_at", now()) ELSE "created_at" END,
  "ip_collected_at" = CASE WHEN "ip" IS NULL AND "user_agent" IS NULL THEN NULL WHEN "source" IS NULL OR "source" = 'parley' THEN "created_at" ELSE greatest("created_at", now()) END;--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "status_changed_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "comments_purge_idx" ON "comments" USING btree ("status_changed_at") WHERE "comments"."status" in ('spam', 'trash');--> statement-breakpoint
CREATE INDEX "comments_ip_retention_idx" ON "comments" USING btree ("ip_collected_at") WHERE "comments"."ip_collected_at" is not null;