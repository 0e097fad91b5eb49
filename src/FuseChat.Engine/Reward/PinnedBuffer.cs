using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuseChat.Engine.Reward;

/// <summary>FP32 arrays on the pinned heap, so the heads hand their addresses to the kernels without fixed blocks.</summary>
static unsafe class PinnedBuffer
{
    /// <summary>A zeroed pinned array of <paramref name="length"/> floats.</summary>
    public static float[] Allocate(int length) => GC.AllocateArray<float>(length, pinned: true);

    /// <summary>A pinned copy of <paramref name="data"/> (head weights read from a checkpoint).</summary>
    public static float[] Copy(float[] data)
    {
        var pinned = GC.AllocateUninitializedArray<float>(data.Length, pinned: true);
        data.CopyTo(pinned, 0);
        return pinned;
    }

    /// <summary>The address of a pinned array's first element (valid while the array lives: pinned arrays never move).</summary>
    public static float* Address(float[] pinned) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
