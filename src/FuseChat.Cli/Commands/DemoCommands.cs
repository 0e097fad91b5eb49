using System.CommandLine;
using FuseChat.Demo.Reporting;
using FuseChat.Demo.Running;
using Spectre.Console;

namespace FuseChat.Cli.Commands;

/// <summary>`fusechat demo`: the whole fusion on this machine in minutes. Parsing and display only; the work is in FuseChat.Demo.</summary>
static class DemoCommands
{
    public static IEnumerable<Command> Create()
    {
        var outDir = new Option<string>("--out") { Description = "Folder for everything the demo writes: data, models, the pipeline run, eval results, report/demo.html.", DefaultValueFactory = _ => "fusechat-demo" };
        var seed = new Option<int>("--seed") { Description = "Seed of the data, the models, training and sampling; the same seed gives the same results.", DefaultValueFactory = _ => 1 };
        var quick = new Option<bool>("--quick") { Description = "A smoke run of every stage in about three minutes (fewer prompts, steps and samples); its sources learn too little for the checks to hold." };
        var cache = new Option<string>("--cache-dir") { Description = "Where trained source models are kept between runs (default: ~/.cache/fusechat/demo)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads for training and serving (0 = all cores).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("demo", "Fuse three small source models (Llama, Qwen2 and Gemma-2 shapes, each good at different skills) into a smaller target " +
            "with the real pipeline, SFT and DPO, and evaluate them all on held-out prompts.") { outDir, seed, quick, cache, threads };
        cmd.SetAction(async (p, ct) =>
        {
            var options = new DemoOptions
            {
                OutDir = p.GetValue(outDir)!, Seed = p.GetValue(seed), Quick = p.GetValue(quick), CacheDir = p.GetValue(cache), Threads = p.GetValue(threads),
            };
            var ctx = await WithProgress(progress => DemoRunner.RunAsync(options, progress, ct));
            Console.WriteLine();
            Console.Write(DemoReport.Markdown(ctx.Table!));
            Console.WriteLine($"\nreport: {Path.Combine(ctx.Layout.Report, "demo.html")}");
            return 0;
        });
        yield return cmd;
    }

    /// <summary>Spectre.Console bars on a terminal; plain lines when output is redirected, as in CI.</summary>
    static async Task<T> WithProgress<T>(Func<IDemoProgress, Task<T>> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await work(new LineDemoProgress(Console.Out));
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx => result = await work(new SpectreDemoProgress(ctx)));
        return result;
    }

    /// <summary>One bar per task (training steps, samples, scores, eval items); stage lines and logs above the bars.</summary>
    sealed class SpectreDemoProgress(ProgressContext ctx) : IDemoProgress
    {
        readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Start(string task, long total)
        {
            lock (_tasks)
            {
                var t = ctx.AddTask(Markup.Escape(task), maxValue: Math.Max(1, total));
                if (total == 0) t.Value = 1;
                _tasks[task] = t;
            }
        }

        public void Advance(string task, long amount = 1)
        {
            lock (_tasks) if (_tasks.TryGetValue(task, out var t)) t.Increment(amount);
        }

        public void Log(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
        public void StageStarted(int index, int count, string stage) => AnsiConsole.MarkupLine($"[bold]== [[{index}/{count}]] {Markup.Escape(stage)}[/]");
        public void StageFinished(string stage, TimeSpan elapsed, string summary) =>
            AnsiConsole.MarkupLine($"[green]== {Markup.Escape(stage)}[/]: {Markup.Escape(summary)} ({elapsed.TotalSeconds:0.0} s)");
    }
}
