-- 002: the full-text index of documents (see docs/SEARCH.md).
--
-- search_source is what gets indexed: one row per document, its title,
-- original file name, description and extracted text ('' when it has none).
-- search_fts is an FTS5 index with external content over that view, so the
-- text is stored once (in document_text) and the index holds only tokens;
-- snippets read the text back through the view.
--
-- The "thai" tokenizer (src/fts_thai.c) is registered on every connection by
-- db_open() before migrations run. With "grams" it also indexes pairs of Thai
-- clusters, colocated with the words, so that a query finds a Thai string
-- whatever the dictionary made of the surrounding text.
--
-- The index is kept in step by the triggers below, inside the same
-- transaction as the change to document or document_text. External content
-- means FTS5 cannot read the old values itself: every trigger first deletes
-- the row with exactly the values that were indexed (what the view showed
-- before the change), then inserts what the view shows after it. The column
-- weights of ranking (title > filename > description > body) are stored as
-- the table's rank function. They are close to each other on purpose: a
-- title is short, so BM25 already scores a title hit high, and a weight of 10
-- put every document with the word in its title above the ones about it
-- (docs/SEARCH.md has the figures). The rank function is lakthan_bm25
-- (src/fts_thai.c, registered with the tokenizer): bm25() with each phrase's
-- document count walked to 1,000 documents and estimated beyond, instead of
-- over the whole index on every query.
--
-- prefix = '3': a prefix index of three characters, the length of the gram
-- prefix a one-cluster query asks for ("\x01" + ปี), so that ปี reads one
-- doclist instead of merging the doclists of every gram that starts with it.

CREATE VIEW search_source AS
	SELECT d.id AS id, d.title AS title, d.filename AS filename,
	       d.description AS description, coalesce(t.text, '') AS body
	FROM document d LEFT JOIN document_text t ON t.document_id = d.id;

CREATE VIRTUAL TABLE search_fts USING fts5(
	title, filename, description, body,
	content = 'search_source', content_rowid = 'id',
	tokenize = 'thai grams',
	prefix = '3'
);

INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'lakthan_bm25(2.0, 1.5, 1.25, 1.0)');

-- a new document: its text, if any, is not there yet
CREATE TRIGGER search_document_ai AFTER INSERT ON document BEGIN
	INSERT INTO search_fts(rowid, title, filename, description, body)
	VALUES (new.id, new.title, new.filename, new.description,
		coalesce((SELECT text FROM document_text WHERE document_id = new.id), ''));
END;

CREATE TRIGGER search_document_au AFTER UPDATE OF id, title, filename, description ON document BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	VALUES ('delete', old.id, old.title, old.filename, old.description,
		coalesce((SELECT text FROM document_text WHERE document_id = old.id), ''));
	INSERT INTO search_fts(rowid, title, filename, description, body)
	VALUES (new.id, new.title, new.filename, new.description,
		coalesce((SELECT text FROM document_text WHERE document_id = new.id), ''));
END;

CREATE TRIGGER search_document_ad AFTER DELETE ON document BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	VALUES ('delete', old.id, old.title, old.filename, old.description,
		coalesce((SELECT text FROM document_text WHERE document_id = old.id), ''));
END;

-- the text arrives after its document row: the row was indexed with ''
CREATE TRIGGER search_text_ai AFTER INSERT ON document_text BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	SELECT 'delete', d.id, d.title, d.filename, d.description, ''
	FROM document d WHERE d.id = new.document_id;
	INSERT INTO search_fts(rowid, title, filename, description, body)
	SELECT d.id, d.title, d.filename, d.description, new.text
	FROM document d WHERE d.id = new.document_id;
END;

CREATE TRIGGER search_text_au AFTER UPDATE OF document_id, text ON document_text BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	SELECT 'delete', d.id, d.title, d.filename, d.description, old.text
	FROM document d WHERE d.id = old.document_id;
	INSERT INTO search_fts(rowid, title, filename, description, body)
	SELECT d.id, d.title, d.filename, d.description, ''
	FROM document d WHERE d.id = old.document_id AND old.document_id <> new.document_id;
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	SELECT 'delete', d.id, d.title, d.filename, d.description, ''
	FROM document d WHERE d.id = new.document_id AND old.document_id <> new.document_id;
	INSERT INTO search_fts(rowid, title, filename, description, body)
	SELECT d.id, d.title, d.filename, d.description, new.text
	FROM document d WHERE d.id = new.document_id;
END;

CREATE TRIGGER search_text_ad AFTER DELETE ON document_text BEGIN
	INSERT INTO search_fts(search_fts, rowid, title, filename, description, body)
	SELECT 'delete', d.id, d.title, d.filename, d.description, old.text
	FROM document d WHERE d.id = old.document_id;
	INSERT INTO search_fts(rowid, title, filename, description, body)
	SELECT d.id, d.title, d.filename, d.description, ''
	FROM document d WHERE d.id = old.document_id;
END;

-- archives made before this migration: index what they already hold
INSERT INTO search_fts(search_fts) VALUES ('rebuild');
