using FuseChat.Core;
using FuseChat.Pipeline.Config;
using FuseChat.Pipeline.Sampling;

namespace FuseChat.Pipeline.Scoring;

/// <summary>Builds the <see cref="IRewardScorer"/> a config's scorer entry describes (http, local or rule); custom ones come from the program.</summary>
public static class ScorerFactory
{
    public static IRewardScorer Create(RunConfig config, ScorerConfig s, HttpClient http, ConcurrencyGate gate)
    {
        string? template = s.ChatTemplate is { } t ? config.Resolve(t) : null;
        switch (s.Type)
        {
            case "local":
                return LocalRewardModels.Load(s, config.Resolve(s.Model), template);
            case "rule":
                return RuleRewardScorer.FromConfig(s);
            case "custom":
                throw new UserError($"{config.Path}: scorer '{s.Name}' is type: custom, and no instance was registered under that name " +
                    "(a program registers one with RunContext.RegisterScorer; the fusechat CLI cannot)");
        }
        string? apiKey = s.ApiKeyEnv is null ? null : Environment.GetEnvironmentVariable(s.ApiKeyEnv);
        var renderer = s.Input == "text" && template is not null ? RewardTextRenderer.FromChatTemplate(template) : null;
        var poster = new JsonPoster(http, new EndpointPool(s.BaseUrls),
            new RetryPolicy(s.MaxRetries, TimeSpan.FromSeconds(s.BackoffS), TimeSpan.FromSeconds(Math.Max(s.BackoffS, 60))),
            TimeSpan.FromSeconds(s.TimeoutS), apiKey, gate);
        return new HttpRewardScorer(new RewardClient(s, poster, renderer));
    }
}
