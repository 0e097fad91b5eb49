using System.Globalization;
using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Pipeline.Prompts;
using Microsoft.Data.Sqlite;

namespace FuseChat.Pipeline.Store;

/// <summary>A prompt read back from the store, with its ingestion order.</summary>
public sealed record StoredPrompt(long Seq, PromptRecord Prompt);

/// <summary>
/// The run's SQLite store (WAL mode). Reads use short-lived connections; all writes of the stages go through one
/// <see cref="StoreWriter"/> that batches them in transactions. With synchronous=NORMAL in WAL mode a committed
/// transaction survives the process being killed (kill -9); only a power cut could lose the last commits.
/// </summary>
public sealed class RunStore : IDisposable
{
    public string Path { get; }
    readonly string _connectionString;

    RunStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();
    }

    public static RunStore Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var store = new RunStore(path);
        using var c = store.Connect();
        Exec(c, "PRAGMA journal_mode=WAL;");
        Exec(c, StoreSchema.Create);
        var version = store.GetMeta("schema_version");
        if (version is null) store.SetMeta("schema_version", StoreSchema.Version.ToString(CultureInfo.InvariantCulture));
        else if (version == "1") UpgradeFromVersion1(c); // run folders made before prompts had a reference keep working
        else if (version != StoreSchema.Version.ToString(CultureInfo.InvariantCulture))
            throw new UserError($"{path}: store schema version {version}, this fusechat reads version {StoreSchema.Version}");
        return store;
    }

    static void UpgradeFromVersion1(SqliteConnection c)
    {
        // BEGIN IMMEDIATE takes the write lock before the version is read again: another process opening the same store
        // may have upgraded it meanwhile, and adding the column twice would fail.
        using var tx = c.BeginTransaction(deferred: false);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        if (cmd.ExecuteScalar() as string == "1") Exec(c, StoreSchema.UpgradeFromVersion1, tx);
        tx.Commit();
    }

    internal SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA foreign_keys=OFF;");
        // The same notion of "blank" as eligibility uses, so SQL counts agree with the pair rules.
        c.CreateFunction("is_blank", (string? text) => Pairing.Eligibility.IsBlank(text) ? 1L : 0L, isDeterministic: true);
        return c;
    }

    internal static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public string? GetMeta(string key)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    public long Count(string sql, params (string, object)[] args)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (k, v) in args) cmd.Parameters.AddWithValue(k, v);
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of any query, as arrays of column values (for status and statistics).</summary>
    public List<object?[]> Query(string sql, params (string, object)[] args)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (k, v) in args) cmd.Parameters.AddWithValue(k, v);
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Prompts in ingestion order, one page at a time (keyset pagination keeps memory flat).</summary>
    public List<StoredPrompt> ReadPrompts(string? category, long afterSeq, int pageSize)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = category is null
            ? "SELECT seq, id, set_name, category, line, messages, gold, tests, reference FROM prompts WHERE seq > $a ORDER BY seq LIMIT $n"
            : "SELECT seq, id, set_name, category, line, messages, gold, tests, reference FROM prompts WHERE category = $c AND seq > $a ORDER BY seq LIMIT $n";
        cmd.Parameters.AddWithValue("$a", afterSeq);
        cmd.Parameters.AddWithValue("$n", pageSize);
        if (category is not null) cmd.Parameters.AddWithValue("$c", category);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredPrompt>();
        while (r.Read())
        {
            var messages = JsonNode.Parse(r.GetString(5))!.AsArray()
                .Select(m => new ChatMessage((string)m!["role"]!, (string)m["content"]!)).ToList();
            var tests = r.IsDBNull(7) ? null : CodeTests.FromJson(JsonNode.Parse(r.GetString(7))!.AsObject());
            list.Add(new StoredPrompt(r.GetInt64(0), new PromptRecord(r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
                messages, r.IsDBNull(6) ? null : r.GetString(6), tests, Reference: r.IsDBNull(8) ? null : r.GetString(8))));
        }
        return list;
    }

    /// <summary>All stored responses of prompts whose seq lies in (afterSeq, lastSeq], grouped by prompt id.</summary>
    public Dictionary<string, List<StoredResponse>> ResponsesForSeqRange(long afterSeq, long lastSeq)
    {
        using var c = Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT r.prompt_id, r.source, r.sample_index, r.status, r.text, r.finish_reason, r.model, r.params, r.seed, r.endpoint,
                   r.attempts, r.error, r.prompt_tokens, r.completion_tokens, r.started_at, r.finished_at
            FROM responses r JOIN prompts p ON p.id = r.prompt_id
            WHERE p.seq > $a AND p.seq <= $b
            """;
        cmd.Parameters.AddWithValue("$a", afterSeq);
        cmd.Parameters.AddWithValue("$b", lastSeq);
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<string, List<StoredResponse>>();
        while (r.Read())
        {
            var resp = new StoredResponse(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7),
                r.GetInt64(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetInt32(10), r.IsDBNull(11) ? null : r.GetString(11),
                r.IsDBNull(12) ? null : r.GetInt32(12), r.IsDBNull(13) ? null : r.GetInt32(13),
                DateTimeOffset.Parse(r.GetString(14), CultureInfo.InvariantCulture), DateTimeOffset.Parse(r.GetString(15), CultureInfo.InvariantCulture));
            if (!result.TryGetValue(resp.PromptId, out var list)) result[resp.PromptId] = list = [];
            list.Add(resp);
        }
        return result;
    }

    /// <summary>Scores (value may be null = failed) of prompts in the seq range, keyed by response and scorer.</summary>
    public Dictionary<(ResponseKey, string), double?> ScoresForSeqRange(long afterSeq, long lastSeq)
    {
        var result = new Dictionary<(ResponseKey, string), double?>();
        foreach (var row in Query("""
            SELECT s.prompt_id, s.source, s.sample_index, s.scorer, s.value FROM scores s JOIN prompts p ON p.id = s.prompt_id
            WHERE p.seq > $a AND p.seq <= $b
            """, ("$a", afterSeq), ("$b", lastSeq)))
            result[(new ResponseKey((string)row[0]!, (string)row[1]!, Convert.ToInt32(row[2], CultureInfo.InvariantCulture)), (string)row[3]!)] =
                row[4] is null ? null : Convert.ToDouble(row[4], CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>Verdicts of prompts in the seq range, keyed by response.</summary>
    public Dictionary<ResponseKey, bool> VerdictsForSeqRange(long afterSeq, long lastSeq)
    {
        var result = new Dictionary<ResponseKey, bool>();
        foreach (var row in Query("""
            SELECT v.prompt_id, v.source, v.sample_index, v.passed FROM verdicts v JOIN prompts p ON p.id = v.prompt_id
            WHERE p.seq > $a AND p.seq <= $b
            """, ("$a", afterSeq), ("$b", lastSeq)))
            result[new ResponseKey((string)row[0]!, (string)row[1]!, Convert.ToInt32(row[2], CultureInfo.InvariantCulture))] = Convert.ToInt64(row[3], CultureInfo.InvariantCulture) != 0;
        return result;
    }

    /// <summary>(prompt id, sample index) of the responses a source completed ("ok") for prompts in the seq range.</summary>
    public HashSet<(string PromptId, int SampleIndex)> DoneSamples(string source, long afterSeq, long lastSeq)
    {
        var done = new HashSet<(string, int)>();
        foreach (var row in Query("""
            SELECT r.prompt_id, r.sample_index FROM responses r JOIN prompts p ON p.id = r.prompt_id
            WHERE p.seq > $a AND p.seq <= $b AND r.source = $s AND r.status = 'ok'
            """, ("$a", afterSeq), ("$b", lastSeq), ("$s", source)))
            done.Add(((string)row[0]!, Convert.ToInt32(row[1], CultureInfo.InvariantCulture)));
        return done;
    }

    public void Dispose() => SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
}
