-- The read cache (src/read-cache) keeps rendered thread pages and counts in each Node instance's
-- memory. These triggers tell every instance, on the channel parley_read_cache, when what a reader
-- sees may have changed, so that no write path can forget to: the payload is an article key (its
-- thread and counts changed), or '*' (settings changed, or a table was emptied: drop everything).
-- NOTIFY is sent on commit, and not at all on rollback.
CREATE FUNCTION parley_notify_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('parley_read_cache', OLD.key); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key) THEN PERFORM pg_notify('parley_read_cache', NEW.key); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION parley_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('parley_read_cache', '*');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER articles_read_cache_changed AFTER UPDATE ON articles FOR EACH ROW
  WHEN ((OLD.key, OLD.url, OLD.title, OLD.open, OLD.comment_count, OLD.version, OLD.created_at)
    IS DISTINCT FROM (NEW.key, NEW.url, NEW.title, NEW.open, NEW.comment_count, NEW.version, NEW.created_at))
  EXECUTE FUNCTION parley_notify_article();
--> statement-breakpoint
CREATE TRIGGER articles_read_cache_added_removed AFTER INSERT OR DELETE ON articles FOR EACH ROW EXECUTE FUNCTION parley_notify_article();
--> statement-breakpoint
CREATE TRIGGER articles_read_cache_emptied AFTER TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION parley_notify_all();
--> statement-breakpoint
CREATE TRIGGER settings_read_cache_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION parley_notify_all();
