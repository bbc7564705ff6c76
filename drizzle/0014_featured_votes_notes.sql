-- Issue 20: editor's picks (comments.featured_at), readers' upvotes (comment_votes, counted in comments.votes; each
-- network's votes this minute in vote_limits, unlogged as flood_marks are), the order=top and order=featured
-- indexes, and moderators' private notes on a commenter.
CREATE TABLE "comment_votes" (
	"comment_id" integer NOT NULL,
	"voter" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "comment_votes_comment_id_voter_pk" PRIMARY KEY("comment_id","voter")
);
--> statement-breakpoint
CREATE TABLE "commenter_notes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "commenter_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"match_key" text NOT NULL,
	"body" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vote_limits" (
	"network" text PRIMARY KEY NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"votes" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "featured_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "votes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "comment_votes" ADD CONSTRAINT "comment_votes_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commenter_notes" ADD CONSTRAINT "commenter_notes_created_by_moderators_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."moderators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commenter_notes_match_idx" ON "commenter_notes" USING btree ("kind","match_key","created_at");--> statement-breakpoint
CREATE INDEX "vote_limits_started_idx" ON "vote_limits" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "comments_thread_top_idx" ON "comments" USING btree ("article_id",(case when "status" = 'approved' then "votes" else 0 end) desc,"created_at","id") WHERE "comments"."parent_id" is null and "comments"."shown";--> statement-breakpoint
CREATE INDEX "comments_featured_idx" ON "comments" USING btree ("article_id","featured_at" desc,"id") WHERE "comments"."featured_at" is not null;
--> statement-breakpoint
ALTER TABLE "vote_limits" SET UNLOGGED;
