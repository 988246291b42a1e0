-- 006: the search index without a prefix index, with compact grams.
--
-- Two changes to the index of 002, both measured (docs/SEARCH.md, "Speed,
-- third round"; docs/PERFORMANCE.md):
--
-- * No prefix = '3'. The prefix index made a one-cluster query (ปี) read one
--   doclist instead of merging every gram that starts with it, but every
--   token of every document paid for it at indexing: the index was 1.42 of
--   the text instead of 0.78, and indexing 0.30 of unicode61's speed
--   instead of 0.44. A one-cluster term now first looks for its word
--   exactly (src/search_query.c); the gram merge runs only when the word
--   does not fill the page.
-- * Grams are written one byte per Thai letter (fts_thai_gram() in
--   src/fts_thai.c) instead of UTF-8's three, which the tokenizer of this
--   version emits: the index must be rebuilt for queries to find them.
--
-- FTS5 options cannot be altered, so the table is made again with the same
-- columns, content, tokenizer and rank function, and rebuilt from its
-- external content (search_source, which leaves purged documents out). The
-- triggers of 002 name the table and keep working.

DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
	title, filename, description, body,
	content = 'search_source', content_rowid = 'id',
	tokenize = 'thai grams'
);

INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'lakthan_bm25(2.0, 1.5, 1.25, 1.0)');

INSERT INTO search_fts(search_fts) VALUES ('rebuild');
