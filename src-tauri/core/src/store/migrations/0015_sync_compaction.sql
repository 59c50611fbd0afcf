-- A logged deletion (Art. 17 erasure, the shredder) made on this laptop marks the sync history
-- for compaction (`sync::history`): Automerge keeps every value ever written, so the deleted
-- values must leave `sync_chunks` too. The mark is committed with the deletion, so a crash
-- before the compaction only delays it to the next start. Rows written from another laptop's
-- data (`applying`) do not mark it: that laptop's compaction travels with them.
CREATE TRIGGER deletion_log_marks_compaction AFTER INSERT ON deletion_log
WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')
BEGIN
    INSERT OR REPLACE INTO sync_state (key, value) VALUES ('compaction_due', '1');
END;
