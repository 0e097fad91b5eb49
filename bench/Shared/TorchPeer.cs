using System.Diagnostics;
using System.Globalization;

namespace FuseChat.Bench;

/// <summary>
/// A benchmark's PyTorch peer: runs a Python script with Debian's /usr/bin/python3 (where python3-torch installs) in
/// the same run as the benchmark, and collects the "name value" lines it prints (the value is the last word).
/// </summary>
static class TorchPeer
{
    const string Python = "/usr/bin/python3";

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="args"/> and returns its "name value" lines; every line also
    /// goes to <paramref name="onLine"/>. Empty, with a line saying why, when python3 or the script is missing or the peer fails.
    /// </summary>
    public static Dictionary<string, double> Run(string script, IEnumerable<string> args, Action<string>? onLine = null)
    {
        var result = new Dictionary<string, double>();
        string? missing = !File.Exists(Python) ? Python : !File.Exists(script) ? script : null;
        if (missing is not null) { Console.WriteLine($"(PyTorch peer not available: {missing} not found)"); return result; }
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();   // drained alongside stdout so a chatty peer cannot block
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            onLine?.Invoke(line);
            int sp = line.LastIndexOf(' ');
            if (sp > 0 && double.TryParse(line[(sp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) result[line[..sp]] = v;
        }
        p.WaitForExit();
        if (p.ExitCode != 0) Console.WriteLine("(PyTorch peer failed: " + err.Result.Split('\n').LastOrDefault(l => l.Length > 0) + ")");
        return result;
    }

    /// <summary>A peer script that the project copies beside the benchmark's binary.</summary>
    public static string BesideBinary(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <summary>
    /// A file of the repository the benchmark is run from (found upwards from the working directory by FuseChat.sln),
    /// for peers that import tools/; the bare relative path when no repository is found.
    /// </summary>
    public static string InRepository(params string[] parts)
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FuseChat.sln"))) dir = dir.Parent;
        return Path.Combine([dir?.FullName ?? ".", .. parts]);
    }
}
