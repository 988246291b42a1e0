-- 001: documents and their extracted text.
--
-- A document is one stored file: its bytes live in the blob store under
-- blobs/ab/cd/<sha256>, so sha256 is also the blob's name. The row is
-- committed only after the blob is durable on disk (see blobstore.h).

CREATE TABLE document (
	id           INTEGER PRIMARY KEY,            -- stable for the archive's life
	sha256       TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
	size         INTEGER NOT NULL CHECK (size >= 0),
	mime         TEXT NOT NULL,                  -- from libmagic, never the name
	filename     TEXT NOT NULL,                  -- original name, UTF-8 NFC
	title        TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	year         INTEGER CHECK (year IS NULL OR year BETWEEN 2400 AND 2800), -- fiscal year, B.E.
	uploaded_by  TEXT NOT NULL,
	uploaded_at  TEXT NOT NULL,                  -- ISO 8601 UTC
	source_path  TEXT NOT NULL DEFAULT '',       -- where ingest found it (path, or zip!/entry)
	text_status  TEXT NOT NULL,                  -- ok, empty, unreliable, unsupported, needs_ocr, timeout, failed: ...
	text_chars   INTEGER NOT NULL DEFAULT 0,     -- code points of extracted text
	withdrawn_at TEXT,
	withdrawn_reason TEXT
);

CREATE INDEX document_year ON document(year);

-- The extracted text as the extractor produced it (converted to UTF-8 only);
-- normalisation for search happens at indexing time, never here.
CREATE TABLE document_text (
	document_id INTEGER PRIMARY KEY REFERENCES document(id),
	text        TEXT NOT NULL,
	quality     TEXT NOT NULL DEFAULT ''         -- why the text is unreliable, if it is
);
