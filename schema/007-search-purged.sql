-- 007: the index triggers of document leave purged rows alone.
--
-- search_source (005) leaves purged documents out, so the index must never
-- hold one. The triggers of 002 indexed every new document row, and would
-- have "deleted" from the index a purged row that was never in it (which,
-- with external content, corrupts FTS5's counts). A purged row is only ever
-- inserted by import-bundle, which restores it as the source archive had it
-- (docs/BUNDLE.md); purged rows are not edited or deleted today, but the
-- guard belongs to the mechanism, not to each caller.

DROP TRIGGER search_document_ai;
CREATE TRIGGER search_document_ai AFTER INSERT ON document WHEN new.purged_at IS NULL BEGIN
	INSERT INTO search_fts(rowid, title, filename, description, body)
	VALUES (new.id, new.title, new.filename, new.description,
		coalesce((SELECT text FROM document_text WHERE document_id = new.id), ''));
END;

DROP TRIGGER search_document_au;
CREATE TRIGGER search_document_au AFTER UPDATE OF id, title, filename, description ON document
WHEN old.purged_at IS NULL BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	VALUES ('delete', old.id, old.title, old.filename, old.description,
		coalesce((SELECT text FROM document_text WHERE document_id = old.id), ''));
	INSERT INTO search_fts(rowid, title, filename, description, body)
	VALUES (new.id, new.title, new.filename, new.description,
		coalesce((SELECT text FROM document_text WHERE document_id = new.id), ''));
END;

DROP TRIGGER search_document_ad;
CREATE TRIGGER search_document_ad AFTER DELETE ON document WHEN old.purged_at IS NULL BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	VALUES ('delete', old.id, old.title, old.filename, old.description,
		coalesce((SELECT text FROM document_text WHERE document_id = old.id), ''));
END;
