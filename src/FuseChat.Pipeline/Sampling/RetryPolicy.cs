using System.Net;
using System.Net.Http.Headers;

namespace FuseChat.Pipeline.Sampling;

/// <summary>
/// When to retry an HTTP call and how long to wait: 408, 429 and 5xx, timeouts, broken connections and unreadable bodies
/// are retried with exponential backoff and jitter (the wait is uniform in [d/2, d], d = base·2^attempt capped at max);
/// a Retry-After header, when present, sets the wait instead (capped at max).
/// </summary>
public sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay)
{
    public int MaxRetries { get; } = maxRetries;

    public TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta) return delta < maxDelay ? delta : maxDelay;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < maxDelay ? wait : maxDelay;
        }
        double d = Math.Min(maxDelay.TotalSeconds, baseDelay.TotalSeconds * Math.Pow(2, attempt));
        return TimeSpan.FromSeconds(d / 2 + Random.Shared.NextDouble() * d / 2);
    }
}
