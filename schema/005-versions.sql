-- 005: versions (a document that supersedes another) and purging.
--
-- Documents are never overwritten. A new version is a new document whose
-- `supersedes` names the one it replaces; the old one stays, searchable,
-- and is shown as superseded (its superseded_by is the row that names it).
-- The unique index lets a document be superseded by one document only, so
-- versions form chains, never trees; cycles are refused by
-- versions_supersede() (src/versions.c), which walks the chain.
--
-- Purging (admins, only after a withdrawal) removes a document's bytes, its
-- stored text and its index entry, but keeps the row with who purged it,
-- when and why, so the audit trail still names what it is about.

ALTER TABLE document ADD COLUMN supersedes INTEGER REFERENCES document(id);
ALTER TABLE document ADD COLUMN purged_at TEXT;
ALTER TABLE document ADD COLUMN purged_by TEXT;
ALTER TABLE document ADD COLUMN purged_reason TEXT;

CREATE UNIQUE INDEX document_supersedes ON document(supersedes) WHERE supersedes IS NOT NULL;

-- The index's external content leaves out purged documents, so that the
-- index (whose entry a purge deletes) and its content agree, and FTS5's
-- integrity check and a 'rebuild' never bring a purged document back.
DROP VIEW search_source;
CREATE VIEW search_source AS
	SELECT d.id AS id, d.title AS title, d.filename AS filename,
	       d.description AS description, coalesce(t.text, '') AS body
	FROM document d LEFT JOIN document_text t ON t.document_id = d.id
	WHERE d.purged_at IS NULL;
