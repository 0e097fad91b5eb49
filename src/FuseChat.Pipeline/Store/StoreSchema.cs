namespace FuseChat.Pipeline.Store;

/// <summary>
/// Tables of the run store. Every piece of work has a natural key (prompt id, source, sample index[, scorer]) so a
/// restarted run sees what is done and never makes a duplicate. tools/pipeline-reference reads these tables too.
/// prompt_keys (added without a version change: CREATE IF NOT EXISTS) maps import keys (PromptKeys) to prompt ids.
/// Version 2 added prompts.reference (a row's reference answer); a version-1 store is upgraded in place when opened.
/// </summary>
static class StoreSchema
{
    public const int Version = 2;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS prompt_sets(
            name TEXT PRIMARY KEY, path TEXT NOT NULL, file_sha256 TEXT NOT NULL, category TEXT NOT NULL, shape TEXT NOT NULL,
            rows_read INTEGER NOT NULL, prompts INTEGER NOT NULL, bad INTEGER NOT NULL, duplicates INTEGER NOT NULL, ingested_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS prompts(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, set_name TEXT NOT NULL, category TEXT NOT NULL,
            line INTEGER NOT NULL, messages TEXT NOT NULL, gold TEXT, tests TEXT, reference TEXT);
        CREATE INDEX IF NOT EXISTS prompts_by_category ON prompts(category, seq);
        CREATE TABLE IF NOT EXISTS prompt_keys(
            kind TEXT NOT NULL, key TEXT NOT NULL, prompt_id TEXT NOT NULL, PRIMARY KEY(kind, key, prompt_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ingest_issues(
            set_name TEXT NOT NULL, line INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY(set_name, line)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS responses(
            prompt_id TEXT NOT NULL, source TEXT NOT NULL, sample_index INTEGER NOT NULL,
            status TEXT NOT NULL, text TEXT, finish_reason TEXT, model TEXT NOT NULL, params TEXT NOT NULL, seed INTEGER NOT NULL,
            endpoint TEXT, attempts INTEGER NOT NULL, error TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
            started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
            PRIMARY KEY(prompt_id, source, sample_index)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS requests(
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, prompt_id TEXT NOT NULL, source TEXT NOT NULL, sample_index INTEGER NOT NULL,
            attempt INTEGER NOT NULL, endpoint TEXT NOT NULL, status_code INTEGER, error TEXT, started_at TEXT NOT NULL, elapsed_ms REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS scores(
            prompt_id TEXT NOT NULL, source TEXT NOT NULL, sample_index INTEGER NOT NULL, scorer TEXT NOT NULL,
            value REAL, model TEXT NOT NULL, error TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY(prompt_id, source, sample_index, scorer)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS verdicts(
            prompt_id TEXT NOT NULL, source TEXT NOT NULL, sample_index INTEGER NOT NULL, verifier TEXT NOT NULL,
            passed INTEGER NOT NULL, detail TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY(prompt_id, source, sample_index)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outcomes(
            prompt_id TEXT PRIMARY KEY, set_name TEXT NOT NULL, category TEXT NOT NULL, part TEXT NOT NULL,
            outcome TEXT NOT NULL, detail TEXT NOT NULL) WITHOUT ROWID;
        """;

    /// <summary>Version 1 to 2, run in one transaction so a store is never left with the column but the old version.</summary>
    public const string UpgradeFromVersion1 = """
        ALTER TABLE prompts ADD COLUMN reference TEXT;
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        """;
}
