-- 003: the ITA plan of each fiscal year, its questions, and the links that
-- tie documents to measures and questions (docs/PLAN.md).
--
-- year (B.E.) ─< plan_issue(number, title) ─< plan_row ─< measure(position)
--                                             ├─< plan_text (finding, result, outcome)
--                                             └─< row_question >─ question(year, code)
-- document ─< document_link >─ measure | question
--
-- Measures are keyed by (issue, position): position is the n of the code
-- "<issue>.<n>", so re-importing a corrected report updates a measure in
-- place and its id, and every link to it, stays. Findings, results and
-- outcomes are keyed by (row, kind, position) for the same reason: an
-- identical import rewrites nothing.

CREATE TABLE plan_issue (
	id     INTEGER PRIMARY KEY,
	year   INTEGER NOT NULL CHECK (year BETWEEN 2400 AND 2800),
	number INTEGER NOT NULL CHECK (number >= 1),
	title  TEXT NOT NULL,
	UNIQUE (year, number)
);

-- One row of the report's table: the questions it answers, what was found,
-- the measures taken, and what came of them. status is the bold line of the
-- results cell ("ดำเนินการแล้วเสร็จ"); unresolved keeps question references
-- the import could not resolve, word for word, so nothing is lost.
CREATE TABLE plan_row (
	id         INTEGER PRIMARY KEY,
	issue_id   INTEGER NOT NULL REFERENCES plan_issue(id),
	position   INTEGER NOT NULL CHECK (position >= 1),
	status     TEXT NOT NULL DEFAULT '',
	unresolved TEXT NOT NULL DEFAULT '',
	UNIQUE (issue_id, position)
);

CREATE TABLE plan_text (
	row_id   INTEGER NOT NULL REFERENCES plan_row(id),
	kind     TEXT NOT NULL CHECK (kind IN ('finding', 'result', 'outcome')),
	position INTEGER NOT NULL CHECK (position >= 1),
	text     TEXT NOT NULL,
	PRIMARY KEY (row_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE measure (
	id       INTEGER PRIMARY KEY,                -- stable: links point here
	issue_id INTEGER NOT NULL REFERENCES plan_issue(id),
	position INTEGER NOT NULL CHECK (position >= 1), -- code = issue.number || '.' || position
	row_id   INTEGER NOT NULL REFERENCES plan_row(id),
	text     TEXT NOT NULL,
	UNIQUE (issue_id, position)
);
CREATE INDEX measure_row ON measure(row_id);

-- The ITA questions a year's plan uses, with their wording from the
-- embedded catalog (schema/ita-questions.tsv) or, for a code the catalog
-- lacks, from the report itself (source says which).
CREATE TABLE question (
	id         INTEGER PRIMARY KEY,
	year       INTEGER NOT NULL CHECK (year BETWEEN 2400 AND 2800),
	code       TEXT NOT NULL CHECK (code GLOB '[ieo][0-9]*'),
	instrument TEXT NOT NULL DEFAULT '',
	indicator  TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	UNIQUE (year, code)
);

CREATE TABLE row_question (
	row_id      INTEGER NOT NULL REFERENCES plan_row(id),
	question_id INTEGER NOT NULL REFERENCES question(id),
	PRIMARY KEY (row_id, question_id)
) WITHOUT ROWID;
CREATE INDEX row_question_q ON row_question(question_id);

-- A document backs a measure, or supports a question directly. Each link
-- has its own state: linked by staff, then accepted or rejected by an
-- assessor with a comment (lesson 15 of ANCHORS.md).
CREATE TABLE document_link (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES document(id),
	measure_id  INTEGER REFERENCES measure(id),
	question_id INTEGER REFERENCES question(id),
	state       TEXT NOT NULL DEFAULT 'linked' CHECK (state IN ('linked', 'accepted', 'rejected')),
	linked_by   TEXT NOT NULL,
	linked_at   TEXT NOT NULL,
	reviewed_by TEXT,
	reviewed_at TEXT,
	comment     TEXT NOT NULL DEFAULT '',
	CHECK ((measure_id IS NULL) <> (question_id IS NULL)),
	UNIQUE (document_id, measure_id),
	UNIQUE (document_id, question_id)
);
CREATE INDEX document_link_measure ON document_link(measure_id);
CREATE INDEX document_link_question ON document_link(question_id);

-- The date the evidence is about (found in its text or entered), apart from
-- the upload date; its fiscal year is what the document's year is proposed as.
ALTER TABLE document ADD COLUMN evidence_date TEXT; -- ISO 8601 date (CE), or NULL
