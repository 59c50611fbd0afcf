-- Reach statistics (issue 15): an organisation of kind Kommune or Kreis points to its entry in
-- NRW's reference data (src/municipalities.rs, Destatis Gemeindeverzeichnis): the 8-digit
-- Amtlicher Gemeindeschlüssel of a Stadt/Gemeinde or the 5-digit key of a Kreis. NULL: not
-- linked (yet). The migration's hook links existing organisations whose name names exactly
-- one entry; ambiguous ones are left for the user.
ALTER TABLE organisations ADD COLUMN ags TEXT
    CHECK (ags IS NULL OR (length(ags) IN (5, 8) AND ags GLOB '05[0-9]*' AND ags NOT GLOB '*[^0-9]*'));
CREATE INDEX organisations_ags ON organisations (ags) WHERE ags IS NOT NULL;
