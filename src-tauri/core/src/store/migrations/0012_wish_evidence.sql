-- The words of a wish that decided its automatic suggestion (JSON array of strings, as written),
-- shown on the board's card so staff see why; NULL when the wish was not placed automatically.
ALTER TABLE wishes ADD COLUMN evidence TEXT;
