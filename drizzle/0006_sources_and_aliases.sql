CREATE TABLE "article_aliases" (
	"key" text PRIMARY KEY NOT NULL,
	"article_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"site_id" text NOT NULL,
	CONSTRAINT "instance_single_row" CHECK ("instance"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "removed_sources" (
	"source" text NOT NULL,
	"source_site" text NOT NULL,
	"source_id" text NOT NULL,
	"comment_id" integer NOT NULL,
	"source_created_at" timestamp (3) with time zone NOT NULL,
	"removed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "removed_sources_source_source_id_source_site_pk" PRIMARY KEY("source","source_id","source_site")
);
--> statement-breakpoint
DROP INDEX "comments_source_idx";--> statement-breakpoint
-- Comments imported before this migration did not keep their site: they get '' (unknown), and an
-- import matches a record to such a row when source, source id and creation time all agree, so
-- that re-importing a site imported before changes nothing (src/importers/match-existing.ts).
ALTER TABLE "comments" ADD COLUMN "source_site" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "article_aliases" ADD CONSTRAINT "article_aliases_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "article_aliases_article_idx" ON "article_aliases" USING btree ("article_id");--> statement-breakpoint
CREATE INDEX "removed_sources_comment_idx" ON "removed_sources" USING btree ("comment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "comments_source_idx" ON "comments" USING btree ("source","source_id","source_site");