using EngineBench;
using FuseChat.Bench;

// Engine benchmarks against independent peers measured in the same run (OpenBLAS in-process, PyTorch CPU as a child process).
// Modes: gemm | model | sampler | fewrows | memory | all (default). memory needs a BF16 checkpoint folder: memory DIR.
string mode = args.Length > 0 ? args[0] : "all";
int threads = Environment.ProcessorCount;
Console.WriteLine($"# EngineBench ({mode}), {threads} threads, {DateTime.UtcNow:u}");
if (mode is "gemm" or "all") GemmBench.Run(threads, Peer("gemm", GemmBench.Specs(false)));
// gemm-inference / gemm-training: one half of the gemm cases each (a whole run takes over 10 minutes on a loaded machine).
if (mode is "gemm-inference" or "gemm-training")
{
    string only = mode["gemm-".Length..];
    GemmBench.Run(threads, Peer("gemm", GemmBench.Specs(false, only)), only: only);
}
if (mode is "gemm-quick") GemmBench.Run(threads, new(), quick: true, rounds: 3);   // no PyTorch, fewer shapes: for tuning
if (mode is "gemm-1") GemmBench.Run(1, new(), quick: true, rounds: 3);
if (mode is "model" or "all") ModelBench.Run(256, 32, Peer("model", "256", "32"));
if (mode is "sampler") SamplerBench.Run(Peer("sampler"));
if (mode is "fewrows") FewRowsBench.Run(threads);   // the ragged step's kernel past 32 rows (no peer process)
if (mode is "memory-create") MemoryBench.Create(args.Length > 1 ? args[1] : throw new ArgumentException("memory-create DIR"));
if (mode is "memory")
    MemoryBench.Run(args.Length > 1 ? args[1] : throw new ArgumentException("memory DIR [bf16|f32]"),
        args.Length > 2 && args[2] == "f32" ? FuseChat.Engine.Model.WeightStorage.F32 : FuseChat.Engine.Model.WeightStorage.BF16);

// bench/EngineBench/torch_peer.py: MODE THREADS [mode arguments]
Dictionary<string, double> Peer(string peerMode, params string[] extra) =>
    TorchPeer.Run(TorchPeer.BesideBinary("torch_peer.py"), [peerMode, threads.ToString(), .. extra]);
