-- Issue 20: an article may hold every comment for a moderator (a sensitive story), over the site's rules.
ALTER TABLE "articles" ADD COLUMN "moderation" text;