using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Semola.Autodiff;
using Semola.Core.Data;
using Semola.Core.Method;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>
/// One split of a data set as the training core sees it: inputs of a fixed per-sample shape and either
/// class labels (classification) or real targets of a fixed per-sample shape (regression), in host memory.
/// </summary>
public sealed class SampleSet
{
    /// <summary>Creates a split; exactly one of <paramref name="labels"/> and <paramref name="targets"/> is given.</summary>
    public SampleSet(float[] inputs, int[] sampleShape, int[]? labels, float[]? targets = null, int[]? targetShape = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if ((labels is null) == (targets is null))
        {
            throw new ArgumentException("A sample set has either class labels or regression targets.");
        }
        SampleSize = Product(sampleShape);
        Count = SampleSize == 0 ? 0 : inputs.Length / SampleSize;
        if (SampleSize < 1 || inputs.Length != Count * SampleSize)
        {
            throw new ArgumentException($"Sample set: {inputs.Length} input values are not a whole number of samples of shape [{string.Join(", ", sampleShape)}].");
        }
        if (labels is not null && labels.Length != Count)
        {
            throw new ArgumentException($"Sample set: {labels.Length} labels for {Count} samples.");
        }
        TargetShape = targetShape ?? [];
        TargetSize = targets is null ? 0 : Product(TargetShape);
        if (targets is not null && (TargetSize < 1 || targets.Length != Count * TargetSize))
        {
            throw new ArgumentException($"Sample set: {targets.Length} target values for {Count} samples of shape [{string.Join(", ", TargetShape)}].");
        }
        Inputs = inputs;
        SampleShape = sampleShape;
        Labels = labels;
        Targets = targets;
    }

    /// <summary>Inputs, sample after sample.</summary>
    public float[] Inputs { get; }

    /// <summary>The shape of one input.</summary>
    public int[] SampleShape { get; }

    /// <summary>Values per input.</summary>
    public int SampleSize { get; }

    /// <summary>Class labels (classification), else null.</summary>
    public int[]? Labels { get; }

    /// <summary>Regression targets, sample after sample, else null.</summary>
    public float[]? Targets { get; }

    /// <summary>The shape of one target (empty for classification).</summary>
    public int[] TargetShape { get; }

    /// <summary>Values per target (0 for classification).</summary>
    public int TargetSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The split of an image data set: inputs [C, H, W] and labels.</summary>
    public static SampleSet FromImages(ImageDataSet images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new SampleSet(images.Pixels, [images.Channels, images.Height, images.Width], images.Labels);
    }

    /// <summary>The split of N-body windows: flat input states and flat target states.</summary>
    public static SampleSet FromWindows(NBodyWindows windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return new SampleSet(windows.X, [windows.InputSize], null, windows.Y, [windows.OutputSize]);
    }

    /// <summary>The samples at <paramref name="indices"/> as a batch on <paramref name="device"/>.</summary>
    public Batch Gather(ReadOnlySpan<int> indices, Device device)
    {
        int n = indices.Length;
        var x = new float[n * SampleSize];
        var labels = Labels is null ? null : new int[n];
        var y = Targets is null ? null : new float[n * TargetSize];
        for (int i = 0; i < n; i++)
        {
            int idx = indices[i];
            Inputs.AsSpan(idx * SampleSize, SampleSize).CopyTo(x.AsSpan(i * SampleSize));
            if (labels is not null)
            {
                labels[i] = Labels![idx];
            }
            if (y is not null)
            {
                Targets.AsSpan(idx * TargetSize, TargetSize).CopyTo(y.AsSpan(i * TargetSize));
            }
        }
        return new Batch(Tensor.FromArray(x, [n, .. SampleShape], device), labels, y is null ? null : Tensor.FromArray(y, [n, .. TargetShape], device));
    }

    /// <summary>Samples start..start+count-1 as a batch on <paramref name="device"/>.</summary>
    public Batch Range(int start, int count, Device device)
    {
        var x = Tensor.FromArray(Inputs.AsSpan(start * SampleSize, count * SampleSize), [count, .. SampleShape], device);
        var labels = Labels?.AsSpan(start, count).ToArray();
        var y = Targets is null ? null : Tensor.FromArray(Targets.AsSpan(start * TargetSize, count * TargetSize), [count, .. TargetShape], device);
        return new Batch(x, labels, y);
    }

    /// <summary>The samples at <paramref name="indices"/> as a new set.</summary>
    public SampleSet Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var x = new float[indices.Count * SampleSize];
        var y = Targets is null ? null : new float[indices.Count * TargetSize];
        var labels = Labels is null ? null : new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int idx = indices[i];
            if ((uint)idx >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {idx} is outside 0..{Count - 1}.");
            }
            Inputs.AsSpan(idx * SampleSize, SampleSize).CopyTo(x.AsSpan(i * SampleSize));
            if (y is not null)
            {
                Targets.AsSpan(idx * TargetSize, TargetSize).CopyTo(y.AsSpan(i * TargetSize));
            }
            if (labels is not null)
            {
                labels[i] = Labels![idx];
            }
        }
        return new SampleSet(x, SampleShape, labels, y, Targets is null ? null : TargetShape);
    }

    /// <summary>
    /// A seeded random <paramref name="fraction"/> of the samples, keeping every class's share for labelled sets
    /// (<see cref="StratifiedSplit.Indices"/>): the sample-efficiency study's training sets.
    /// </summary>
    public SampleSet Fraction(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentException($"--fraction must be in (0, 1], got {fraction}.");
        }
        int[] chosen;
        if (Labels is not null)
        {
            chosen = StratifiedSplit.Indices(Labels, [fraction], seed)[0];
        }
        else
        {
            chosen = Enumerable.Range(0, Count).ToArray();
            new Random(unchecked(seed * 7 + 101)).Shuffle(chosen);
            chosen = chosen[..Math.Max(1, (int)Math.Round(Count * fraction))];
        }
        Array.Sort(chosen);
        return Subset(chosen);
    }

    /// <summary>Feeds the split's shapes and values into a running SHA-256 (the run's data checksum).</summary>
    public void HashInto(IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        hash.AppendData(MemoryMarshal.AsBytes<int>([Count, .. SampleShape, -1, .. TargetShape]));
        hash.AppendData(MemoryMarshal.AsBytes(Inputs.AsSpan()));
        if (Labels is not null)
        {
            hash.AppendData(MemoryMarshal.AsBytes(Labels.AsSpan()));
        }
        if (Targets is not null)
        {
            hash.AppendData(MemoryMarshal.AsBytes(Targets.AsSpan()));
        }
    }

    private static int Product(int[] shape)
    {
        long p = 1;
        foreach (int d in shape)
        {
            if (d < 1)
            {
                return 0;
            }
            p *= d;
        }
        return p > int.MaxValue ? 0 : (int)p;
    }
}
