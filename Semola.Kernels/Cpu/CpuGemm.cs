namespace Semola.Kernels.Cpu;

/// <summary>
/// Single-precision general matrix multiply on the CPU, row-major storage.
/// <para>
/// Computes <c>C = alpha * op(A) * op(B) + beta * C</c> where op(A) is m x k, op(B) is k x n and
/// C is m x n. <c>op(X)</c> is X or its transpose. Leading dimensions are row strides in
/// elements: element (i, j) of a stored row-major matrix X lives at <c>x[i * ldx + j]</c>.
/// When beta is 0, C is write-only: its previous contents (even NaN) are ignored.
/// C must not overlap A or B.
/// </para>
/// <para>
/// Large problems run through a packed, cache-blocked kernel for the instruction-set path in use
/// (<see cref="CpuFeatures.Active"/>: a 12x32 AVX-512 or a 6x16 AVX2 micro-kernel) and are split
/// across cores above a size threshold; tiny or skinny problems, and the portable path, use a
/// simple <c>Vector&lt;T&gt;</c> path.
/// </para>
/// </summary>
public static unsafe class CpuGemm
{
    // Work (m*n*k) below which packing is not worth it.
    private const long SimpleWorkThreshold = 24L * 24 * 24;

    // Work (m*n*k) from which a single GEMM is split across threads.
    private const long ParallelWorkThreshold = 96L * 96 * 96;

    /// <summary>Maximum number of threads a single GEMM call uses.</summary>
    internal static int MaxThreads { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C.
    /// </summary>
    /// <param name="transA">If true op(A) = A^T and A is stored k x m, otherwise A is stored m x k.</param>
    /// <param name="transB">If true op(B) = B^T and B is stored n x k, otherwise B is stored k x n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A) and rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Storage of A.</param>
    /// <param name="lda">Row stride of the stored A (at least its column count).</param>
    /// <param name="b">Storage of B.</param>
    /// <param name="ldb">Row stride of the stored B (at least its column count).</param>
    /// <param name="beta">Scale of the old C; 0 means C is overwritten.</param>
    /// <param name="c">Storage of C (m x n).</param>
    /// <param name="ldc">Row stride of C (at least n).</param>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        CheckLength(a.Length, transA ? k : m, transA ? m : k, lda, 1, 0, nameof(a));
        CheckLength(b.Length, transB ? n : k, transB ? k : n, ldb, 1, 0, nameof(b));
        CheckLength(c.Length, m, n, ldc, 1, 0, nameof(c));
        if (m == 0 || n == 0)
        {
            return;
        }

        var isa = CpuFeatures.Current;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, allowParallel: true, isa);
        }
    }

    /// <summary>
    /// Strided batched GEMM: for each i in [0, batch),
    /// <c>C_i = alpha * op(A_i) * op(B_i) + beta * C_i</c> with
    /// <c>A_i = a[i*strideA ..]</c>, <c>B_i = b[i*strideB ..]</c>, <c>C_i = c[i*strideC ..]</c>.
    /// A stride of 0 for A or B broadcasts one matrix to every batch item. The C matrices must
    /// not overlap. Other parameters are as in <see cref="Sgemm"/>.
    /// </summary>
    public static void SgemmBatched(int batch, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        ArgumentOutOfRangeException.ThrowIfNegative(strideA);
        ArgumentOutOfRangeException.ThrowIfNegative(strideB);
        ArgumentOutOfRangeException.ThrowIfNegative(strideC);
        if (batch == 0 || m == 0 || n == 0)
        {
            return;
        }

        if (batch > 1 && strideC < (long)(m - 1) * ldc + n)
        {
            throw new ArgumentException("strideC is too small: output matrices would overlap.", nameof(strideC));
        }

        CheckLength(a.Length, transA ? k : m, transA ? m : k, lda, batch, strideA, nameof(a));
        CheckLength(b.Length, transB ? n : k, transB ? k : n, ldb, batch, strideB, nameof(b));
        CheckLength(c.Length, m, n, ldc, batch, strideC, nameof(c));

        var isa = CpuFeatures.Current;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            long work = (long)m * n * k;
            int threads = MaxThreads;
            if (threads > 1 && batch > 1 && work < ParallelWorkThreshold * 4 && work * batch >= ParallelWorkThreshold)
            {
                // Many small items: spread whole items over threads, each GEMM single-threaded.
                BatchParallel(threads, batch, transA, transB, m, n, k, alpha, pa, lda, strideA, pb, ldb, strideB, beta, pc, ldc, strideC, isa);
            }
            else
            {
                for (int i = 0; i < batch; i++)
                {
                    Gemm(transA, transB, m, n, k, alpha, pa + i * strideA, lda, pb + i * strideB, ldb,
                        beta, pc + i * strideC, ldc, allowParallel: true, isa);
                }
            }
        }
    }

    private static void BatchParallel(int threads, int batch, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC, CpuIsa isa)
    {
        nint ia = (nint)a, ib = (nint)b, ic = (nint)c;
        WorkQueue.Run(threads, batch, (_, i) =>
            Gemm(transA, transB, m, n, k, alpha, (float*)ia + i * strideA, lda, (float*)ib + i * strideB, ldb,
                beta, (float*)ic + i * strideC, ldc, allowParallel: false, isa));
    }

    /// <summary>True when <paramref name="isa"/> has a packed kernel (and so <see cref="PackAll"/> and <see cref="GemmPackedA"/> apply).</summary>
    internal static bool HasPacked(CpuIsa isa) => isa != CpuIsa.Portable;

    /// <summary>Number of floats <see cref="PackAll"/> writes for an m x k op(A) on <paramref name="isa"/>.</summary>
    internal static long PackedASize(CpuIsa isa, int m, int k) =>
        isa == CpuIsa.Avx512 ? GemmPacked512.PackedASize(m, k) : GemmPacked.PackedASize(m, k);

    /// <summary>Packs the whole of op(A) for <see cref="GemmPackedA"/> on the same <paramref name="isa"/>.</summary>
    internal static void PackAll(CpuIsa isa, bool transA, int m, int k, float* a, int lda, float* dst)
    {
        if (isa == CpuIsa.Avx512)
        {
            GemmPacked512.PackAll(transA, m, k, a, lda, dst);
        }
        else
        {
            GemmPacked.PackAll(transA, m, k, a, lda, dst);
        }
    }

    // Packed single-threaded product on the kernel of the given path.
    private static void RunPacked(CpuIsa isa, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, float* packedA = null)
    {
        if (isa == CpuIsa.Avx512)
        {
            GemmPacked512.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, packedA);
        }
        else
        {
            GemmPacked.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, packedA);
        }
    }

    /// <summary>Pointer entry point without validation, on the given instruction-set path; used by other kernels.</summary>
    internal static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool allowParallel, CpuIsa isa)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            GemmSimple.ScaleRows(c, ldc, n, 0, m, beta);
            return;
        }

        long work = (long)m * n * k;
        bool packed = HasPacked(isa) && m >= 4 && n >= 8 && work > SimpleWorkThreshold;
        int threads = allowParallel && work >= ParallelWorkThreshold ? MaxThreads : 1;

        if (!packed)
        {
            if (threads > 1 && m >= 2 * threads)
            {
                SimpleParallel(threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            }
            else
            {
                GemmSimple.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m);
            }

            return;
        }

        if (threads <= 1)
        {
            RunPacked(isa, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        PackedParallel(threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa);
    }

    // The parallel branches live in their own methods: a lambda's captured parameters would
    // otherwise cost a closure allocation on every call, including single-threaded ones.
    private static void SimpleParallel(int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        nint ia = (nint)a, ib = (nint)b, ic = (nint)c;
        WorkQueue.Run(threads, threads, (_, part) =>
        {
            int start = (int)((long)m * part / threads);
            int end = (int)((long)m * (part + 1) / threads);
            GemmSimple.Run(transA, transB, m, n, k, alpha, (float*)ia, lda, (float*)ib, ldb, beta, (float*)ic, ldc, start, end);
        });
    }

    private static void PackedParallel(int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, CpuIsa isa)
    {
        // Split C into independent slabs: along n (each slab re-packs all of A) when n is the
        // larger side, otherwise along m (each slab re-packs all of B). Two slabs per thread,
        // claimed dynamically, keep the threads balanced when the machine is busy; the extra
        // packing costs about one percent.
        bool splitN = n >= m;
        int unit = isa == CpuIsa.Avx512 ? (splitN ? GemmPacked512.NR : GemmPacked512.MR) : (splitN ? GemmPacked.NR : GemmPacked.MR);
        int extent = splitN ? n : m;
        int units = (extent + unit - 1) / unit;
        int slabs = Math.Min(units, threads * (units >= threads * 8 ? 2 : 1));
        if (slabs <= 1)
        {
            RunPacked(isa, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        nint pa = (nint)a, pb = (nint)b, pcc = (nint)c;
        WorkQueue.Run(threads, slabs, (_, slab) =>
        {
            int start = (int)((long)units * slab / slabs) * unit;
            int end = Math.Min(extent, (int)((long)units * (slab + 1) / slabs) * unit);
            if (end <= start)
            {
                return;
            }

            float* fa = (float*)pa, fb = (float*)pb, fc = (float*)pcc;
            if (splitN)
            {
                float* bSub = transB ? fb + (long)start * ldb : fb + start;
                RunPacked(isa, transA, transB, m, end - start, k, alpha, fa, lda, bSub, ldb, beta, fc + start, ldc);
            }
            else
            {
                float* aSub = transA ? fa + start : fa + (long)start * lda;
                RunPacked(isa, transA, transB, end - start, n, k, alpha, aSub, lda, fb, ldb, beta, fc + (long)start * ldc, ldc);
            }
        });
    }

    /// <summary>
    /// Like <see cref="Gemm"/> but with op(A) already packed by <see cref="PackAll"/> for the same
    /// <paramref name="isa"/> (only valid when <see cref="HasPacked"/>). Parallel runs split the columns.
    /// </summary>
    internal static void GemmPackedA(bool transB, int m, int n, int k, float alpha, float* packedA,
        float* b, int ldb, float beta, float* c, int ldc, bool allowParallel, CpuIsa isa)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            GemmSimple.ScaleRows(c, ldc, n, 0, m, beta);
            return;
        }

        int nr = isa == CpuIsa.Avx512 ? GemmPacked512.NR : GemmPacked.NR;
        int units = (n + nr - 1) / nr;
        int parts = allowParallel && (long)m * n * k >= ParallelWorkThreshold ? Math.Min(MaxThreads, units) : 1;
        if (parts <= 1)
        {
            RunPacked(isa, false, transB, m, n, k, alpha, null, 0, b, ldb, beta, c, ldc, packedA);
            return;
        }

        PackedAParallel(parts, units, nr, transB, m, n, k, alpha, packedA, b, ldb, beta, c, ldc, isa);
    }

    private static void PackedAParallel(int parts, int units, int nr, bool transB, int m, int n, int k, float alpha, float* packedA,
        float* b, int ldb, float beta, float* c, int ldc, CpuIsa isa)
    {
        // A is already packed, so extra column slabs cost nothing but their B packing.
        int slabs = Math.Min(units, parts * 2);
        nint pa = (nint)packedA, pb = (nint)b, pcc = (nint)c;
        WorkQueue.Run(parts, slabs, (_, slab) =>
        {
            int start = (int)((long)units * slab / slabs) * nr;
            int end = Math.Min(n, (int)((long)units * (slab + 1) / slabs) * nr);
            if (end > start)
            {
                float* bSub = transB ? (float*)pb + (long)start * ldb : (float*)pb + start;
                RunPacked(isa, false, transB, m, end - start, k, alpha, null, 0, bSub, ldb, beta, (float*)pcc + start, ldc, (float*)pa);
            }
        });
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (lda < Math.Max(1, transA ? m : k))
        {
            throw new ArgumentOutOfRangeException(nameof(lda), lda, "lda is smaller than the row length of the stored A.");
        }

        if (ldb < Math.Max(1, transB ? k : n))
        {
            throw new ArgumentOutOfRangeException(nameof(ldb), ldb, "ldb is smaller than the row length of the stored B.");
        }

        if (ldc < Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(ldc), ldc, "ldc is smaller than n.");
        }
    }

    private static void CheckLength(int length, int rows, int cols, int ld, int batch, long stride, string name)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        long need = (long)(batch - 1) * stride + (long)(rows - 1) * ld + cols;
        if (length < need)
        {
            throw new ArgumentException($"Buffer is too small: {need} elements required, {length} given.", name);
        }
    }
}
