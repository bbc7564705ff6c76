ALTER TABLE "articles" ADD COLUMN "comment_policy" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "subject_hash" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "author_avatar_url" text;--> statement-breakpoint
CREATE INDEX "comments_subject_status_idx" ON "comments" USING btree ("subject_hash","status") WHERE "comments"."subject_hash" is not null;