-- Articles registered before this migration keep their URL and title as they are (true): which of
-- them came from a submission no browser vouched for is not known, and a moderator's must not be
-- replaced. Registrations from now on say what they were.
ALTER TABLE "articles" ADD COLUMN "details_verified" boolean DEFAULT true NOT NULL;
