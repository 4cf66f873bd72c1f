using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Reductions over the middle axis of [outer, n, inner], softmax and its backward, cross-entropy
/// picking, index select/add and the sum of squares. Short axes use one thread per output; long axes
/// with few outputs use one group per output and a shared-memory tree.
/// </summary>
internal static class ReduceKernels
{
    /// <summary>Shared-memory slots of the group reductions (the largest group size).</summary>
    public const int MaxGroup = 256;

    public static void ReduceRow(Index1D idx, int op, ArrayView<float> x, int n, int inner, ArrayView<float> y)
    {
        int o = idx / inner, i = idx % inner;
        long b = (long)o * n * inner + i;
        float acc = op == 0 ? 0f : x[b];
        int arg = 0;
        for (int j = op == 0 ? 0 : 1; j < n; j++)
        {
            float v = x[b + (long)j * inner];
            if (op == 0)
            {
                acc += v;
            }
            else if (op == 1 ? v > acc : op == 2 ? v < acc : v > acc)
            {
                acc = v;
                arg = j;
            }
        }
        y[idx] = op == 3 ? arg : acc;
    }

    /// <summary>One group per output: threads stride over the axis, then a tree in shared memory.</summary>
    public static void ReduceGroup(int op, ArrayView<float> x, int n, int inner, ArrayView<float> y)
    {
        var vals = SharedMemory.Allocate1D<float>(MaxGroup);
        var args = SharedMemory.Allocate1D<int>(MaxGroup);
        int outIdx = Grid.IdxX;
        int t = Group.IdxX;
        int size = Group.DimX;
        int o = outIdx / inner, i = outIdx % inner;
        long b = (long)o * n * inner + i;
        float acc = op == 0 ? 0f : x[b];
        int arg = 0;
        for (int j = t; j < n; j += size)
        {
            float v = x[b + (long)j * inner];
            if (op == 0)
            {
                acc += v;
            }
            else if (op == 2 ? v < acc : v > acc)
            {
                acc = v;
                arg = j;
            }
        }
        vals[t] = acc;
        args[t] = arg;
        Group.Barrier();
        for (int s = size / 2; s > 0; s >>= 1)
        {
            if (t < s)
            {
                float a = vals[t], c = vals[t + s];
                int ia = args[t], ic = args[t + s];
                if (op == 0)
                {
                    vals[t] = a + c;
                }
                else if (op == 2 ? (c < a || (c == a && ic < ia)) : (c > a || (c == a && ic < ia)))
                {
                    vals[t] = c;
                    args[t] = ic;
                }
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            y[outIdx] = op == 3 ? args[0] : vals[0];
        }
    }

    public static void Softmax(Index1D idx, int log, ArrayView<float> x, int n, int inner, ArrayView<float> y)
    {
        int o = idx / inner, i = idx % inner;
        long b = (long)o * n * inner + i;
        float m = float.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            float v = x[b + (long)j * inner];
            m = v > m ? v : m;
        }
        float sum = 0f;
        for (int j = 0; j < n; j++)
        {
            sum += MathF.Exp(x[b + (long)j * inner] - m);
        }
        if (log != 0)
        {
            float lse = m + MathF.Log(sum);
            for (int j = 0; j < n; j++)
            {
                y[b + (long)j * inner] = x[b + (long)j * inner] - lse;
            }
        }
        else
        {
            float inv = 1f / sum;
            for (int j = 0; j < n; j++)
            {
                y[b + (long)j * inner] = MathF.Exp(x[b + (long)j * inner] - m) * inv;
            }
        }
    }

    public static void SoftmaxBackward(Index1D idx, int log, ArrayView<float> y, ArrayView<float> dy, int n, int inner, ArrayView<float> dx)
    {
        int o = idx / inner, i = idx % inner;
        long b = (long)o * n * inner + i;
        float acc = 0f;
        for (int j = 0; j < n; j++)
        {
            long k = b + (long)j * inner;
            acc += log != 0 ? dy[k] : dy[k] * y[k];
        }
        for (int j = 0; j < n; j++)
        {
            long k = b + (long)j * inner;
            dx[k] = log != 0 ? dy[k] - MathF.Exp(y[k]) * acc : y[k] * (dy[k] - acc);
        }
    }

    /// <summary>loss[b] = -logp[b, label[b]].</summary>
    public static void PickLoss(Index1D b, ArrayView<float> logp, ArrayView<int> labels, int classes, ArrayView<float> loss) =>
        loss[b] = -logp[(long)(int)b * classes + labels[b]];

    public static void CrossEntropyBackward(Index1D idx, ArrayView<float> probs, ArrayView<int> labels, ArrayView<float> dloss, int classes, ArrayView<float> dx)
    {
        int b = idx / classes, c = idx % classes;
        dx[idx] = dloss[b] * (probs[idx] - (c == labels[b] ? 1f : 0f));
    }

    /// <summary>y[o, j, i] = x[o, index[j], i]; one thread per y element.</summary>
    public static void IndexSelect(Index1D idx, ArrayView<float> x, int n, int inner, ArrayView<int> index, int m, ArrayView<float> y)
    {
        int i = idx % inner;
        int j = idx / inner % m;
        int o = idx / (inner * m);
        y[idx] = x[((long)o * n + index[j]) * inner + i];
    }

    /// <summary>dx[o, index[j], i] += dy[o, j, i] with atomic adds (indices may repeat).</summary>
    public static void IndexAdd(Index1D idx, ArrayView<float> dy, int n, int inner, ArrayView<int> index, int m, ArrayView<float> dx)
    {
        int i = idx % inner;
        int j = idx / inner % m;
        int o = idx / (inner * m);
        Atomic.Add(ref dx[((long)o * n + index[j]) * inner + i], dy[idx]);
    }

    /// <summary>
    /// Deterministic form of <see cref="IndexAdd"/>: one thread per dx element gathers every dy row whose
    /// index points at it, in increasing position order (no atomics, bit-reproducible).
    /// </summary>
    public static void IndexAddOrdered(Index1D idx, ArrayView<float> dy, int n, int inner, ArrayView<int> index, int m, ArrayView<float> dx)
    {
        int i = idx % inner;
        int k = idx / inner % n;
        int o = idx / (inner * n);
        float acc = dx[idx];
        for (int j = 0; j < m; j++)
        {
            if (index[j] == k)
            {
                acc += dy[((long)o * m + j) * inner + i];
            }
        }
        dx[idx] = acc;
    }

    /// <summary>Per-group partial sums of squares in double (grid-stride loop), one value per group.</summary>
    public static void SumOfSquares(ArrayView<float> x, int offset, int count, ArrayView<double> partial)
    {
        var sh = SharedMemory.Allocate1D<double>(MaxGroup);
        int t = Group.IdxX;
        int size = Group.DimX;
        double acc = 0;
        for (int i = Grid.IdxX * size + t; i < count; i += Grid.DimX * size)
        {
            double v = x[offset + i];
            acc += v * v;
        }
        sh[t] = acc;
        Group.Barrier();
        for (int s = size / 2; s > 0; s >>= 1)
        {
            if (t < s)
            {
                sh[t] += sh[t + s];
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            partial[Grid.IdxX] = sh[0];
        }
    }
}
