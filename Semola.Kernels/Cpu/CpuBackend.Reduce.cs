using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

public sealed unsafe partial class CpuBackend
{
    /// <summary>Runs body(i) for i in [0, count), in parallel when count * costPerItem is large.</summary>
    internal static void ParallelRange(int count, long costPerItem, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }
        if (Threads == 1 || count == 1 || count * costPerItem < ParallelThreshold)
        {
            body(0, count);
            return;
        }
        WorkQueue.RunRanges(Threads, count, Threads * 4, body);
    }

    /// <inheritdoc />
    public override void Reduce(ReduceOp op, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y)
    {
        if (n <= 0 && op != ReduceOp.Sum)
        {
            throw new ArgumentException($"{op}: cannot reduce an empty axis.");
        }
        float* px = Ptr(x, nameof(Reduce));
        float* py = Ptr(y, nameof(Reduce));
        if (inner == 1)
        {
            ParallelRange(outer, n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int o = from; o < to; o++)
                {
                    py[o] = ReduceContiguous(op, px + (long)o * n, n);
                }
            });
            return;
        }
        // Strided reduction: accumulate whole rows of length inner (vectorised).
        ParallelRange(outer * ((inner + 255) / 256), (long)n * Math.Min(inner, 256), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            int blocksPerOuter = (inner + 255) / 256;
            for (int it = from; it < to; it++)
            {
                int o = it / blocksPerOuter;
                int i0 = it % blocksPerOuter * 256;
                int len = Math.Min(256, inner - i0);
                float* dst = py + (long)o * inner + i0;
                float* src = px + (long)o * n * inner + i0;
                ReduceRows(op, src, n, inner, dst, len);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceRows(ReduceOp op, float* src, int n, int stride, float* dst, int len)
    {
        int w = Vector<float>.Count;
        switch (op)
        {
            case ReduceOp.Sum:
            {
                for (int i = 0; i < len; i++)
                {
                    dst[i] = 0f;
                }
                for (int j = 0; j < n; j++)
                {
                    float* row = src + (long)j * stride;
                    int i = 0;
                    for (; i <= len - w; i += w)
                    {
                        (Unsafe.ReadUnaligned<Vector<float>>(dst + i) + Unsafe.ReadUnaligned<Vector<float>>(row + i)).Store(dst + i);
                    }
                    for (; i < len; i++)
                    {
                        dst[i] += row[i];
                    }
                }
                break;
            }
            case ReduceOp.Max:
            case ReduceOp.Min:
            {
                bool max = op == ReduceOp.Max;
                for (int i = 0; i < len; i++)
                {
                    dst[i] = src[i];
                }
                for (int j = 1; j < n; j++)
                {
                    float* row = src + (long)j * stride;
                    for (int i = 0; i < len; i++)
                    {
                        float v = row[i];
                        if (max ? v > dst[i] : v < dst[i])
                        {
                            dst[i] = v;
                        }
                    }
                }
                break;
            }
            case ReduceOp.ArgMax:
            {
                var best = stackalloc float[len];
                for (int i = 0; i < len; i++)
                {
                    best[i] = src[i];
                    dst[i] = 0f;
                }
                for (int j = 1; j < n; j++)
                {
                    float* row = src + (long)j * stride;
                    for (int i = 0; i < len; i++)
                    {
                        if (row[i] > best[i])
                        {
                            best[i] = row[i];
                            dst[i] = j;
                        }
                    }
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReduceContiguous(ReduceOp op, float* p, int n)
    {
        int w = Vector<float>.Count;
        switch (op)
        {
            case ReduceOp.Sum:
            {
                var acc0 = Vector<float>.Zero;
                var acc1 = Vector<float>.Zero;
                int i = 0;
                for (; i <= n - 2 * w; i += 2 * w)
                {
                    acc0 += Unsafe.ReadUnaligned<Vector<float>>(p + i);
                    acc1 += Unsafe.ReadUnaligned<Vector<float>>(p + i + w);
                }
                float s = Vector.Sum(acc0 + acc1);
                for (; i < n; i++)
                {
                    s += p[i];
                }
                return s;
            }
            case ReduceOp.Max:
            {
                float m = p[0];
                for (int i = 1; i < n; i++)
                {
                    m = p[i] > m ? p[i] : m;
                }
                return m;
            }
            case ReduceOp.Min:
            {
                float m = p[0];
                for (int i = 1; i < n; i++)
                {
                    m = p[i] < m ? p[i] : m;
                }
                return m;
            }
            case ReduceOp.ArgMax:
            {
                float m = p[0];
                int arg = 0;
                for (int i = 1; i < n; i++)
                {
                    if (p[i] > m)
                    {
                        m = p[i];
                        arg = i;
                    }
                }
                return arg;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction.");
        }
    }

    /// <inheritdoc />
    public override void Softmax(bool log, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y)
    {
        float* px = Ptr(x, nameof(Softmax));
        float* py = Ptr(y, nameof(Softmax));
        ParallelRange(outer * inner, n * 4L, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            for (int it = from; it < to; it++)
            {
                int o = it / inner, i = it % inner;
                float* xs = px + (long)o * n * inner + i;
                float* ys = py + (long)o * n * inner + i;
                float m = float.NegativeInfinity;
                for (int j = 0; j < n; j++)
                {
                    m = MathF.Max(m, xs[j * inner]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++)
                {
                    sum += MathF.Exp(xs[j * inner] - m);
                }
                if (log)
                {
                    float lse = m + (float)Math.Log(sum);
                    for (int j = 0; j < n; j++)
                    {
                        ys[j * inner] = xs[j * inner] - lse;
                    }
                }
                else
                {
                    float inv = (float)(1.0 / sum);
                    for (int j = 0; j < n; j++)
                    {
                        ys[j * inner] = MathF.Exp(xs[j * inner] - m) * inv;
                    }
                }
            }
        });
    }

    /// <inheritdoc />
    public override void SoftmaxBackward(bool log, DeviceBuffer y, DeviceBuffer dy, int outer, int n, int inner, DeviceBuffer dx)
    {
        float* py = Ptr(y, nameof(SoftmaxBackward));
        float* pdy = Ptr(dy, nameof(SoftmaxBackward));
        float* pdx = Ptr(dx, nameof(SoftmaxBackward));
        ParallelRange(outer * inner, n * 4L, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            for (int it = from; it < to; it++)
            {
                int o = it / inner, i = it % inner;
                long baseIdx = (long)o * n * inner + i;
                float* ys = py + baseIdx;
                float* gs = pdy + baseIdx;
                float* ds = pdx + baseIdx;
                double acc = 0;
                if (log)
                {
                    // dx = dy - softmax * sum(dy)
                    for (int j = 0; j < n; j++)
                    {
                        acc += gs[j * inner];
                    }
                    for (int j = 0; j < n; j++)
                    {
                        ds[j * inner] = gs[j * inner] - MathF.Exp(ys[j * inner]) * (float)acc;
                    }
                }
                else
                {
                    // dx = y * (dy - sum(dy * y))
                    for (int j = 0; j < n; j++)
                    {
                        acc += gs[j * inner] * ys[j * inner];
                    }
                    for (int j = 0; j < n; j++)
                    {
                        ds[j * inner] = ys[j * inner] * (gs[j * inner] - (float)acc);
                    }
                }
            }
        });
    }

    /// <inheritdoc />
    public override void CrossEntropy(DeviceBuffer logits, int[] labels, int batch, int classes, DeviceBuffer loss, DeviceBuffer probs)
    {
        Softmax(true, logits, batch, classes, 1, probs);
        float* pp = Ptr(probs, nameof(CrossEntropy));
        float* pl = Ptr(loss, nameof(CrossEntropy));
        for (int b = 0; b < batch; b++)
        {
            int label = labels[b];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"CrossEntropy: label {label} of sample {b} is outside [0, {classes}).");
            }
            pl[b] = -pp[(long)b * classes + label];
        }
        Unary(UnaryOp.Exp, 0, 0, [batch * classes], new StridedView(probs, 0, [1]), probs);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void CrossEntropyBackward(DeviceBuffer probs, int[] labels, DeviceBuffer dloss, int batch, int classes, DeviceBuffer dx)
    {
        float* pp = Ptr(probs, nameof(CrossEntropyBackward));
        float* pg = Ptr(dloss, nameof(CrossEntropyBackward));
        float* pd = Ptr(dx, nameof(CrossEntropyBackward));
        for (int b = 0; b < batch; b++)
        {
            float g = pg[b];
            long row = (long)b * classes;
            for (int c = 0; c < classes; c++)
            {
                pd[row + c] = g * (pp[row + c] - (c == labels[b] ? 1f : 0f));
            }
        }
    }

    /// <inheritdoc />
    public override void IndexSelect(DeviceBuffer x, int outer, int n, int inner, int[] index, DeviceBuffer y)
    {
        var xs = Cast(x, nameof(IndexSelect)).Span;
        var ys = Cast(y, nameof(IndexSelect)).Span;
        int m = index.Length;
        for (int j = 0; j < m; j++)
        {
            if ((uint)index[j] >= (uint)n)
            {
                throw new ArgumentException($"IndexSelect: index {index[j]} at position {j} is outside [0, {n}).");
            }
        }
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < m; j++)
            {
                xs.Slice((o * n + index[j]) * inner, inner).CopyTo(ys.Slice((o * m + j) * inner, inner));
            }
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void IndexAdd(DeviceBuffer dy, int outer, int n, int inner, int[] index, DeviceBuffer dx)
    {
        var gs = Cast(dy, nameof(IndexAdd)).Span;
        var ds = Cast(dx, nameof(IndexAdd)).Span;
        int m = index.Length;
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < m; j++)
            {
                var src = gs.Slice((o * m + j) * inner, inner);
                var dst = ds.Slice((o * n + index[j]) * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    dst[i] += src[i];
                }
            }
        }
    }
}
