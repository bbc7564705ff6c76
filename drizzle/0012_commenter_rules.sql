-- Issue 20: bans and trusted commenters, by email hash, account, IP, /64 network or email domain.
CREATE TABLE "commenter_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "commenter_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"match_key" text NOT NULL,
	"action" text NOT NULL,
	"label" text,
	"email_encrypted" text,
	"reason" text,
	"expires_at" timestamp (3) with time zone,
	"created_by" integer,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commenter_rules" ADD CONSTRAINT "commenter_rules_created_by_moderators_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."moderators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commenter_rules_match_idx" ON "commenter_rules" USING btree ("kind","match_key");