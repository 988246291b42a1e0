-- 004: accounts (users, API tokens, sessions) and the hash-chained audit log.
--
-- Credentials are never stored: passwords as yescrypt hashes, API tokens and
-- session tokens as the SHA-256 of the random 256-bit value the client holds.
-- Roles are the four of CONTRACT.md; what each may do is decided in one place
-- (auth_role_may() in src/auth.c), not here.

CREATE TABLE account (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,            -- login name
	role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'assessor', 'archivist')),
	password_hash TEXT NOT NULL,                   -- crypt(3) string, "$y$..." (yescrypt)
	created_at    TEXT NOT NULL,                   -- ISO 8601 UTC
	disabled_at   TEXT                             -- set: the account may not log in
);

-- A bearer token: the client keeps the value, we keep its digest.
CREATE TABLE api_token (
	id         INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id),
	token_hash TEXT NOT NULL UNIQUE,               -- hex SHA-256 of the token
	created_at TEXT NOT NULL,
	revoked_at TEXT
);

-- A cookie session: the cookie holds the value, we keep its digest, the
-- CSRF token the client must echo on changes, and when it stops working.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,                   -- hex SHA-256 of the cookie value
	account_id INTEGER NOT NULL REFERENCES account(id),
	csrf       TEXT NOT NULL,                      -- random, compared with X-CSRF-Token
	created_at TEXT NOT NULL,
	expires_at INTEGER NOT NULL                    -- Unix time
);

CREATE INDEX session_expiry ON session(expires_at);

-- The audit log: one row per change, view or download, never updated or
-- deleted. hash is the SHA-256 of the canonical serialisation of the row's
-- fields and prev (see src/audit.c), and prev is the hash of the row before
-- (64 zeros for the first), so editing or removing any row breaks the chain
-- at that row, which `lakthan verify` names. The triggers stop accidents;
-- the chain is what catches deliberate edits.
CREATE TABLE audit (
	seq    INTEGER PRIMARY KEY,                    -- 1, 2, 3 ... without gaps
	at     TEXT NOT NULL,                          -- ISO 8601 UTC
	actor  TEXT NOT NULL,                          -- account name, or "cli" / "system"
	action TEXT NOT NULL,                          -- upload, edit, withdraw, view, download, user.add ...
	object TEXT NOT NULL,                          -- what it is about: "document:12", "account:alice"
	detail TEXT NOT NULL,                          -- canonical JSON object (sorted keys, compact)
	prev   TEXT NOT NULL CHECK (length(prev) = 64),
	hash   TEXT NOT NULL CHECK (length(hash) = 64)
);

CREATE INDEX audit_object ON audit(object);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
