using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace FuseChat.Pipeline.Store;

/// <summary>
/// The one writer of a run store: stages enqueue results, a background task commits them in batched transactions
/// (many rows per commit is what makes thousands of responses per second possible). Writes are idempotent upserts
/// keyed by the work's natural key, so replaying work after a crash cannot make a duplicate.
/// </summary>
public sealed class StoreWriter : IAsyncDisposable
{
    readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(8192) { SingleReader = true });
    readonly RunStore _store;
    readonly Task _loop;
    readonly int _maxBatch;
    long _committed;

    /// <summary>Rows committed so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    public StoreWriter(RunStore store, int maxBatch = 2000)
    {
        _store = store;
        _maxBatch = maxBatch;
        _loop = Task.Run(LoopAsync);
    }

    public ValueTask WriteAsync(StoredResponse r, CancellationToken ct = default) => _queue.Writer.WriteAsync(r, ct);
    public ValueTask WriteAsync(RequestLog r, CancellationToken ct = default) => _queue.Writer.WriteAsync(r, ct);
    public ValueTask WriteAsync(StoredScore r, CancellationToken ct = default) => _queue.Writer.WriteAsync(r, ct);
    public ValueTask WriteAsync(StoredVerdict r, CancellationToken ct = default) => _queue.Writer.WriteAsync(r, ct);

    /// <summary>A batch of prompt rows; returns, once committed, how many were new (the others were duplicates by id).</summary>
    public async Task<List<bool>> InsertPromptsAsync(IReadOnlyList<(Prompts.PromptRecord Prompt, string MessagesJson, string? TestsJson)> prompts)
    {
        var op = new PromptBatch(prompts, new TaskCompletionSource<List<bool>>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(op);
        return await op.Done.Task;
    }

    /// <summary>Waits until everything enqueued before this call is committed.</summary>
    public async Task FlushAsync()
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(barrier);
        await barrier.Task;
    }

    sealed record PromptBatch(IReadOnlyList<(Prompts.PromptRecord Prompt, string MessagesJson, string? TestsJson)> Rows, TaskCompletionSource<List<bool>> Done);

    async Task LoopAsync()
    {
        try { await WriteLoopAsync(); }
        catch (Exception e)
        {
            // Never leave a stage waiting on a writer that died: close the queue with the error and fail every waiter.
            _queue.Writer.TryComplete(e);
            while (_queue.Reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource t) t.TrySetException(e);
                if (item is PromptBatch pb) pb.Done.TrySetException(e);
            }
            throw;
        }
    }

    async Task WriteLoopAsync()
    {
        using var c = _store.Connect();
        using var responseCmd = Command(c, """
            INSERT INTO responses(prompt_id, source, sample_index, status, text, finish_reason, model, params, seed, endpoint, attempts,
                                  error, prompt_tokens, completion_tokens, started_at, finished_at)
            VALUES($p, $s, $i, $status, $text, $finish, $model, $params, $seed, $endpoint, $attempts, $error, $pt, $ct, $start, $end)
            ON CONFLICT(prompt_id, source, sample_index) DO UPDATE SET
                status = excluded.status, text = excluded.text, finish_reason = excluded.finish_reason, model = excluded.model,
                params = excluded.params, seed = excluded.seed, endpoint = excluded.endpoint, attempts = responses.attempts + excluded.attempts,
                error = excluded.error, prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                started_at = excluded.started_at, finished_at = excluded.finished_at
            WHERE responses.status <> 'ok'
            """, "$p", "$s", "$i", "$status", "$text", "$finish", "$model", "$params", "$seed", "$endpoint", "$attempts", "$error", "$pt", "$ct", "$start", "$end");
        using var requestCmd = Command(c, """
            INSERT INTO requests(kind, prompt_id, source, sample_index, attempt, endpoint, status_code, error, started_at, elapsed_ms)
            VALUES($k, $p, $s, $i, $a, $e, $code, $err, $start, $ms)
            """, "$k", "$p", "$s", "$i", "$a", "$e", "$code", "$err", "$start", "$ms");
        using var scoreCmd = Command(c, """
            INSERT INTO scores(prompt_id, source, sample_index, scorer, value, model, error, created_at) VALUES($p, $s, $i, $sc, $v, $m, $err, $t)
            ON CONFLICT(prompt_id, source, sample_index, scorer) DO UPDATE SET value = excluded.value, model = excluded.model,
                error = excluded.error, created_at = excluded.created_at
            WHERE scores.value IS NULL
            """, "$p", "$s", "$i", "$sc", "$v", "$m", "$err", "$t");
        using var verdictCmd = Command(c, """
            INSERT INTO verdicts(prompt_id, source, sample_index, verifier, passed, detail, created_at) VALUES($p, $s, $i, $v, $ok, $d, $t)
            ON CONFLICT(prompt_id, source, sample_index) DO NOTHING
            """, "$p", "$s", "$i", "$v", "$ok", "$d", "$t");
        using var promptCmd = Command(c, """
            INSERT INTO prompts(id, set_name, category, line, messages, gold, tests, reference) VALUES($id, $set, $cat, $line, $m, $g, $t, $ref)
            ON CONFLICT(id) DO NOTHING
            """, "$id", "$set", "$cat", "$line", "$m", "$g", "$t", "$ref");
        using var keyCmd = Command(c, "INSERT OR IGNORE INTO prompt_keys(kind, key, prompt_id) VALUES($k, $v, $p)", "$k", "$v", "$p");

        var reader = _queue.Reader;
        var batch = new List<object>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var item)) batch.Add(item);
            var promptResults = new List<(PromptBatch, List<bool>)>();
            using (var tx = c.BeginTransaction())
            {
                foreach (var cmd in new[] { responseCmd, requestCmd, scoreCmd, verdictCmd, promptCmd, keyCmd }) cmd.Transaction = tx;
                foreach (var item in batch)
                {
                    switch (item)
                    {
                        case StoredResponse r:
                            Run(responseCmd, r.PromptId, r.Source, r.SampleIndex, r.Status, r.Text, r.FinishReason, r.Model, r.Params, r.Seed,
                                r.Endpoint, r.Attempts, r.Error, r.PromptTokens, r.CompletionTokens, Time(r.StartedAt), Time(r.FinishedAt));
                            break;
                        case RequestLog q:
                            Run(requestCmd, q.Kind, q.PromptId, q.Source, q.SampleIndex, q.Attempt, q.Endpoint, q.StatusCode, q.Error, Time(q.StartedAt), q.ElapsedMs);
                            break;
                        case StoredScore s:
                            Run(scoreCmd, s.PromptId, s.Source, s.SampleIndex, s.Scorer, s.Value, s.Model, s.Error, Time(DateTimeOffset.UtcNow));
                            break;
                        case StoredVerdict v:
                            Run(verdictCmd, v.PromptId, v.Source, v.SampleIndex, v.Verifier, v.Passed ? 1 : 0, v.Detail, Time(DateTimeOffset.UtcNow));
                            break;
                        case PromptBatch pb:
                            var added = new List<bool>(pb.Rows.Count);
                            foreach (var (p, m, t) in pb.Rows)
                            {
                                added.Add(Run(promptCmd, p.Id, p.PromptSet, p.Category, p.Line, m, p.Gold, t, p.Reference) == 1);
                                // Keys of duplicates too: an import row may name the duplicate's id or text.
                                Run(keyCmd, Prompts.PromptKeys.TextKind, Prompts.PromptKeys.Text(p.Messages), p.Id);
                                if (p.ExternalId is { } ext) Run(keyCmd, Prompts.PromptKeys.IdKind, Prompts.PromptKeys.Id(p.PromptSet, ext), p.Id);
                            }
                            promptResults.Add((pb, added));
                            break;
                    }
                }
                tx.Commit();
            }
            Interlocked.Add(ref _committed, batch.Count);
            foreach (var (pb, added) in promptResults) pb.Done.TrySetResult(added);
            foreach (var item in batch) if (item is TaskCompletionSource tcs) tcs.TrySetResult();
        }
    }

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static SqliteCommand Command(SqliteConnection c, string sql, params string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        cmd.Prepare();
        return cmd;
    }

    static int Run(SqliteCommand cmd, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        return cmd.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
