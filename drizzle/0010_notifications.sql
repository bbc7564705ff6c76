-- Notifications (issue 17): readers' addresses (sealed; confirmations, bounces, opt-out), what they
-- follow (each confirmed on its own), moderators' email preferences, the mail queue (one row per
-- email, rendered when sent), and the nonces of single-use moderation links.
CREATE TABLE "mail_addresses" (
	"email_hash" text PRIMARY KEY NOT NULL,
	"email_sealed" text NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"bounced_at" timestamp (3) with time zone,
	"opted_out_at" timestamp (3) with time zone,
	"confirmation_sent_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_link_uses" (
	"nonce" text PRIMARY KEY NOT NULL,
	"used_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mail_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"email_hash" text,
	"moderator_id" integer,
	"article_id" integer DEFAULT 0 NOT NULL,
	"comment_ids" integer[] DEFAULT '{}' NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"send_after" timestamp (3) with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_prefs" (
	"moderator_id" integer PRIMARY KEY NOT NULL,
	"on_held" boolean DEFAULT false NOT NULL,
	"on_reported" boolean DEFAULT false NOT NULL,
	"on_every" boolean DEFAULT false NOT NULL,
	"digest" text DEFAULT 'off' NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email_hash" text NOT NULL,
	"article_id" integer NOT NULL,
	"kind" text NOT NULL,
	"comment_id" integer,
	"confirmed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_email_hash_mail_addresses_email_hash_fk" FOREIGN KEY ("email_hash") REFERENCES "public"."mail_addresses"("email_hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_moderator_id_moderators_id_fk" FOREIGN KEY ("moderator_id") REFERENCES "public"."moderators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_prefs" ADD CONSTRAINT "notification_prefs_moderator_id_moderators_id_fk" FOREIGN KEY ("moderator_id") REFERENCES "public"."moderators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_email_hash_mail_addresses_email_hash_fk" FOREIGN KEY ("email_hash") REFERENCES "public"."mail_addresses"("email_hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_messages_due_idx" ON "mail_messages" USING btree ("send_after") WHERE "mail_messages"."state" in ('queued', 'sending');--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_reader_queued_idx" ON "mail_messages" USING btree ("email_hash","kind","article_id") WHERE "mail_messages"."state" = 'queued' and "mail_messages"."email_hash" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_digest_queued_idx" ON "mail_messages" USING btree ("moderator_id") WHERE "mail_messages"."state" = 'queued' and "mail_messages"."kind" = 'digest';--> statement-breakpoint
CREATE INDEX "mail_messages_sent_idx" ON "mail_messages" USING btree ("email_hash","article_id","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_thread_idx" ON "subscriptions" USING btree ("article_id","email_hash") WHERE "subscriptions"."kind" = 'thread';--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_approval_idx" ON "subscriptions" USING btree ("comment_id","email_hash") WHERE "subscriptions"."kind" = 'approval';--> statement-breakpoint
CREATE INDEX "subscriptions_email_idx" ON "subscriptions" USING btree ("email_hash");