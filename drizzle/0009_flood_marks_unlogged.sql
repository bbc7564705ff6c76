-- Flood marks are a few seconds of rate-limit state, written by every submission (three rows,
-- upserted). Logged, each of those writes went through the WAL and its own commit's flush: on the
-- bench machine that halved the posts a hot article takes (issue 16). Unlogged, they skip the WAL;
-- after a crash PostgreSQL empties the table, which only lets the next post through without a wait.
-- Replicas do not see unlogged tables, and need not: only the primary takes submissions.
ALTER TABLE "flood_marks" SET UNLOGGED;
