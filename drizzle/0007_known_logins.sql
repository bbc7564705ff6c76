CREATE TABLE "known_logins" (
	"key" text PRIMARY KEY NOT NULL,
	"last_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "known_logins_last_at_idx" ON "known_logins" USING btree ("last_at");