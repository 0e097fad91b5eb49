using System.Text.Json.Nodes;
using FuseChat.Core;
using FuseChat.Engine.Checkpoints;

namespace FuseChat.Engine.Training;

public sealed unsafe partial class TrainableModel
{
    /// <summary>Forward passes run with adapters in training mode so far; seeds each pass's dropout masks (save it to resume).</summary>
    public long LoraDropoutStep { get; set; }

    IEnumerable<LinearLayer> AllLinears() =>
        _layers.SelectMany(l => new[] { l.Q, l.K, l.V, l.O, l.Gate, l.Up, l.Down });

    /// <summary>Modules with adapters, in layer order.</summary>
    public IEnumerable<LinearLayer> LoraModules => AllLinears().Where(l => l.Lora is not null);

    void AttachLora(LoraOptions o)
    {
        if (o.Rank < 1) throw new UserError($"--lora-r must be at least 1, got {o.Rank}");
        if (o.Dropout is < 0 or >= 1) throw new UserError($"--lora-dropout must be in [0, 1), got {o.Dropout}");
        foreach (var m in o.TargetModules)
            if (!LoraOptions.KnownModules.Contains(m))
                throw new UserError($"--lora-target-modules: unknown module \"{m}\" (supported: {string.Join(", ", LoraOptions.KnownModules)})");
        ulong index = 0;
        foreach (var lin in AllLinears())
        {
            index++;
            string shortName = lin.Module[(lin.Module.LastIndexOf('.') + 1)..];
            if (!o.TargetModules.Contains(shortName)) continue;
            var adapter = new LoraAdapter(lin.In, lin.Out, o, (ulong)(uint)o.Seed * 0x100000001B3UL + index * 0x9E3779B97F4A7C15UL);
            lin.Lora = adapter;
            // PEFT's names (get_peft_model wraps the model as base_model.model)
            _parameters.Add(new TrainableTensor($"base_model.model.{lin.Module}.lora_A.weight", [adapter.Rank, adapter.In], adapter.A, adapter.DA, true));
            _parameters.Add(new TrainableTensor($"base_model.model.{lin.Module}.lora_B.weight", [adapter.Out, adapter.Rank], adapter.B, adapter.DB, true));
        }
        if (_parameters.Count == 0) throw new UserError("--lora-target-modules matched no module of this model");
    }

    /// <summary>Gives every adapter its dropout seed for the coming forward pass.</summary>
    void BeginLoraForward()
    {
        if (Lora is null || !AdaptersEnabled || !Training || Lora.Dropout <= 0) return;
        ulong step = (ulong)LoraDropoutStep++;
        foreach (var lin in LoraModules) lin.Lora!.ForwardSeed = lin.Lora.SeedBase ^ (step * 0xD1B54A32D192ED03UL + 1);
    }

    /// <summary>
    /// Adds scaling·B·A into every adapted base weight and removes the adapters (PEFT's merge_and_unload); the model is
    /// then a plain model whose <see cref="SaveModel"/> writes the merged weights.
    /// </summary>
    public void MergeLora()
    {
        foreach (var lin in LoraModules.ToList())
        {
            if (lin.Weight.IsBf16) MergeIntoBf16(lin);
            else lin.Lora!.MergeInto(Kernels, lin.Weight.F32);
            lin.Lora!.Dispose();
            lin.Lora = null;
        }
        _parameters.Clear();
    }

    /// <summary>A BF16 base weight: widen, add the adapter, round back to nearest even (as PEFT merging into a bf16 model does).</summary>
    void MergeIntoBf16(LinearLayer lin)
    {
        long n = (long)lin.Out * lin.In;
        float* wide = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(n * 4), 64);
        try
        {
            ushort* w = lin.Weight.Bf16;
            Numerics.Bf16.ToFloat(w, wide, n);
            lin.Lora!.MergeInto(Kernels, wide);
            for (long i = 0; i < n; i++) w[i] = Numerics.Bf16.ToBits(wide[i]);
        }
        finally { System.Runtime.InteropServices.NativeMemory.AlignedFree(wide); }
    }

    /// <summary>Writes the adapters in PEFT's layout: adapter_config.json and adapter_model.safetensors (F32).</summary>
    public void SaveLora(string dir, string? baseModelPath = null)
    {
        var o = Lora ?? throw new InvalidOperationException("the model has no LoRA adapters");
        Directory.CreateDirectory(dir);
        var cfg = new JsonObject
        {
            ["peft_type"] = "LORA", ["task_type"] = "CAUSAL_LM", ["base_model_name_or_path"] = baseModelPath,
            ["r"] = o.Rank, ["lora_alpha"] = o.Alpha, ["lora_dropout"] = o.Dropout, ["use_rslora"] = o.UseRsLora,
            ["target_modules"] = new JsonArray(o.TargetModules.Select(m => (JsonNode)m).ToArray()),
            ["bias"] = "none", ["fan_in_fan_out"] = false, ["inference_mode"] = true, ["init_lora_weights"] = true,
            ["modules_to_save"] = null, ["layers_to_transform"] = null, ["use_dora"] = false,
        };
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), cfg.ToJsonString(new() { WriteIndented = true }) + "\n");
        var tensors = _parameters.Select(p => new TensorToWrite(p.Name, p.Shape, (nint)p.Param)).ToList();
        SafeTensorsWriter.Write(Path.Combine(dir, "adapter_model.safetensors"), tensors, TensorDType.F32);
    }

    /// <summary>Reads LoRA options from a PEFT adapter folder's adapter_config.json.</summary>
    public static LoraOptions ReadLoraOptions(string dir)
    {
        string path = Path.Combine(dir, "adapter_config.json");
        if (!File.Exists(path)) throw new UserError($"{path}: file not found");
        JsonObject o;
        try { o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new UserError($"{path}: expected a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new UserError($"{path}: invalid JSON: {JsonLines.OneLine(e.Message)}"); }
        if (o["peft_type"]?.GetValue<string>() is string t && t != "LORA") throw new UserError($"{path}: field peft_type: unsupported value \"{t}\" (only LORA)");
        var targets = o["target_modules"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToArray(),
            JsonValue v => [v.GetValue<string>()],
            _ => throw new UserError($"{path}: field target_modules is missing"),
        };
        return new LoraOptions
        {
            Rank = o["r"]?.GetValue<int>() ?? throw new UserError($"{path}: field r is missing"),
            Alpha = o["lora_alpha"]?.GetValue<double>() ?? 8,
            Dropout = o["lora_dropout"]?.GetValue<double>() ?? 0,
            UseRsLora = o["use_rslora"]?.GetValue<bool>() ?? false,
            TargetModules = targets,
        };
    }

    /// <summary>Loads adapter weights saved by <see cref="SaveLora"/> (or PEFT) into this model's adapters.</summary>
    public void LoadLoraWeights(string dir)
    {
        string path = Path.Combine(dir, "adapter_model.safetensors");
        if (!File.Exists(path)) throw new UserError($"{path}: file not found");
        using var f = SafeTensorsFile.Open(path);
        foreach (var p in _parameters)
        {
            // PEFT may save names with or without the adapter name ("default") inside
            string name = f.Tensors.ContainsKey(p.Name) ? p.Name : p.Name.Replace(".weight", ".default.weight");
            if (!f.Tensors.TryGetValue(name, out var e)) throw new UserError($"{path}: tensor {p.Name} is missing");
            if (!e.Shape.SequenceEqual(p.Shape))
                throw new UserError($"{path}: tensor {p.Name} has shape {e.ShapeText} but the model implies [{string.Join(", ", p.Shape)}]");
            f.ReadAsFloat(name, p.Param);
        }
    }
}
