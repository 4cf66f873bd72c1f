using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// 2-D convolution (cross-correlation, as in deep-learning frameworks) on NCHW float tensors,
/// without bias, dilation or groups.
/// <para>
/// Shapes: input x is [N, C, H, W], weight is [Cout, C, KH, KW], output y is [N, Cout, OH, OW]
/// with <c>OH = (H + 2*PH - KH) / SH + 1</c> and <c>OW = (W + 2*PW - KW) / SW + 1</c>.
/// Every method takes the geometry of the <em>input</em> (n, c, h, w), the weight shape
/// (cout, kh, kw), strides (sh, sw) and zero padding (ph, pw) in the same order.
/// </para>
/// <para>
/// Each image is lowered with im2col to a [C*KH*KW, OH*OW] matrix and multiplied with
/// <see cref="CpuGemm"/>; 1x1 stride-1 unpadded convolutions skip the lowering. Images are
/// spread over threads; scratch buffers are per thread and reused across calls.
/// </para>
/// </summary>
public static unsafe partial class CpuConv2d
{
    [ThreadStatic] private static AlignedBuffer? t_col;
    [ThreadStatic] private static AlignedBuffer? t_partial;
    [ThreadStatic] private static AlignedBuffer? t_weightPack;

    /// <summary>Output extent along one axis: (input + 2*pad - kernel) / stride + 1 (0 if the window does not fit).</summary>
    public static int OutputSize(int input, int kernel, int stride, int pad) => ConvGeometry.OutputSize(input, kernel, stride, pad);

    /// <summary>
    /// y = conv(x, weight). Overwrites y.
    /// </summary>
    /// <param name="x">Input [n, c, h, w].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Input channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="weight">Filters [cout, c, kh, kw].</param>
    /// <param name="cout">Output channels.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Zero padding added above and below.</param>
    /// <param name="pw">Zero padding added left and right.</param>
    /// <param name="y">Output [n, cout, oh, ow].</param>
    public static void Forward(ReadOnlySpan<float> x, int n, int c, int h, int w,
        ReadOnlySpan<float> weight, int cout, int kh, int kw, int sh, int sw, int ph, int pw, Span<float> y)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var isa = CpuFeatures.Current;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cout);
        ConvGeometry.CheckLength(x.Length, g.InputLength(c), nameof(x));
        ConvGeometry.CheckLength(weight.Length, (long)cout * c * kh * kw, nameof(weight));
        ConvGeometry.CheckLength(y.Length, g.OutputLength(cout), nameof(y));
        if (n == 0)
        {
            return;
        }

        fixed (float* px = x)
        fixed (float* pwt = weight)
        fixed (float* py = y)
        {
            if (UsesWinograd(isa, g, cout))
            {
                WinogradForward(isa, g, px, pwt, cout, py);
                return;
            }

            if (UsesDirectSmall(isa, g, cout))
            {
                DirectSmallForward(g, px, pwt, cout, py);
                return;
            }

            nint ix = (nint)px, iw = (nint)pwt, iy = (nint)py;
            int ckkAll = c * kh * kw;
            nint packed = (nint)PackWeight(isa, false, cout, ckkAll, pwt);
            if (UsesPanels(isa, g) && !IsPointwise(g) && (Parts(n) > 1 || CpuGemm.MaxThreads == 1))
            {
                int images = ImagesPerChunk(ckkAll, g.OutPlane, n);
                if (images > 1)
                {
                    // Small planes: several whole images per lowered chunk, the chunks spread over
                    // the workers.
                    var layout = LayoutFor(g, images);
                    int chunks = (n + images - 1) / images;
                    WorkQueue.Run(Math.Min(Parts(n), chunks), chunks, (_, chunk) =>
                    {
                        int i0 = chunk * images;
                        ForwardImageChunk(g, layout, (float*)ix, i0, Math.Min(images, n - i0), cout, (float*)packed, (float*)iy);
                    });
                    return;
                }
            }

            nint masks = UsesPanels(isa, g) ? (nint)TapMasks(g) : 0;
            ForEachImage(n, (start, end, gemmParallel) =>
            {
                int ckk = c * kh * kw;
                int ohw = g.OutPlane;
                bool pointwise = IsPointwise(g);
                int chunk = pointwise ? ohw : ChunkPixels(isa, ckk, ohw);

                // Lowering into packed panels runs the product on one thread: used when images are
                // spread over the workers (or there is one thread).
                bool panels = masks != 0 && (!gemmParallel || CpuGemm.MaxThreads == 1);
                float* col = pointwise ? null
                    : Scratch(ref t_col, panels ? GemmPacked512.PackedBSize(ckk, chunk) : (long)ckk * chunk);
                for (int i = start; i < end; i++)
                {
                    float* xi = (float*)ix + (long)i * c * g.InPlane;
                    float* yi = (float*)iy + (long)i * cout * ohw;
                    if (pointwise)
                    {
                        MultiplyWeight(isa, packed, false, cout, ohw, ckk, (float*)iw, xi, ohw, yi, ohw, gemmParallel);
                        continue;
                    }

                    for (int q0 = 0; q0 < ohw; q0 += chunk)
                    {
                        int len = Math.Min(chunk, ohw - q0);
                        if (panels)
                        {
                            Im2ColPanels(g, xi, (float*)masks, q0, len, col);
                            GemmPacked512.RunPackedAB(cout, len, ckk, (float*)packed, col, yi + q0, ohw);
                            continue;
                        }

                        Im2Col(g, xi, col, q0, q0 + len);
                        MultiplyWeight(isa, packed, false, cout, len, ckk, (float*)iw, col, len, yi + q0, ohw, gemmParallel);
                    }
                }
            });
        }
    }

    /// <summary>
    /// dx = gradient of the loss with respect to the input, given dy = gradient with respect to the output.
    /// Overwrites dx. Geometry parameters are those of the forward call.
    /// </summary>
    /// <param name="dy">Output gradient [n, cout, oh, ow].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Input channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="weight">Filters [cout, c, kh, kw].</param>
    /// <param name="cout">Output channels.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical zero padding.</param>
    /// <param name="pw">Horizontal zero padding.</param>
    /// <param name="dx">Input gradient [n, c, h, w].</param>
    public static void BackwardInput(ReadOnlySpan<float> dy, int n, int c, int h, int w,
        ReadOnlySpan<float> weight, int cout, int kh, int kw, int sh, int sw, int ph, int pw, Span<float> dx)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var isa = CpuFeatures.Current;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cout);
        ConvGeometry.CheckLength(dy.Length, g.OutputLength(cout), nameof(dy));
        ConvGeometry.CheckLength(weight.Length, (long)cout * c * kh * kw, nameof(weight));
        ConvGeometry.CheckLength(dx.Length, g.InputLength(c), nameof(dx));
        if (n == 0)
        {
            return;
        }

        fixed (float* pdy = dy)
        fixed (float* pwt = weight)
        fixed (float* pdx = dx)
        {
            if (InputGradIsConvolution(isa, g, cout))
            {
                float* flipped = FlipTranspose(pwt, cout, c, kh, kw);
                Forward(dy, n, cout, h, w, new ReadOnlySpan<float>(flipped, cout * c * kh * kw), c, kh, kw, 1, 1, ph, pw, dx);
                return;
            }

            nint idy = (nint)pdy, iw = (nint)pwt, idx = (nint)pdx;
            int ckkAll = c * kh * kw;
            nint packed = (nint)PackWeight(isa, true, ckkAll, cout, pwt);
            ForEachImage(n, (start, end, gemmParallel) =>
            {
                int ckk = c * kh * kw;
                int ohw = g.OutPlane;
                bool pointwise = IsPointwise(g);
                int chunk = pointwise ? ohw : ChunkPixels(isa, ckk, ohw);
                float* col = pointwise ? null : Scratch(ref t_col, (long)ckk * chunk);
                for (int i = start; i < end; i++)
                {
                    float* dyi = (float*)idy + (long)i * cout * ohw;
                    float* dxi = (float*)idx + (long)i * c * g.InPlane;
                    if (pointwise)
                    {
                        MultiplyWeight(isa, packed, true, c, ohw, cout, (float*)iw, dyi, ohw, dxi, ohw, gemmParallel);
                        continue;
                    }

                    new Span<float>(dxi, c * g.InPlane).Clear();
                    for (int q0 = 0; q0 < ohw; q0 += chunk)
                    {
                        int len = Math.Min(chunk, ohw - q0);
                        MultiplyWeight(isa, packed, true, ckk, len, cout, (float*)iw, dyi + q0, ohw, col, len, gemmParallel);
                        Col2Im(g, col, dxi, q0, q0 + len);
                    }
                }
            });
        }
    }

    /// <summary>
    /// dw = gradient of the loss with respect to the weight, summed over the batch. Overwrites dw.
    /// </summary>
    /// <param name="x">Forward input [n, c, h, w].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Input channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="dy">Output gradient [n, cout, oh, ow].</param>
    /// <param name="cout">Output channels.</param>
    /// <param name="kh">Kernel height.</param>
    /// <param name="kw">Kernel width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical zero padding.</param>
    /// <param name="pw">Horizontal zero padding.</param>
    /// <param name="dw">Weight gradient [cout, c, kh, kw].</param>
    public static void BackwardWeight(ReadOnlySpan<float> x, int n, int c, int h, int w,
        ReadOnlySpan<float> dy, int cout, int kh, int kw, int sh, int sw, int ph, int pw, Span<float> dw)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var isa = CpuFeatures.Current;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cout);
        ConvGeometry.CheckLength(x.Length, g.InputLength(c), nameof(x));
        ConvGeometry.CheckLength(dy.Length, g.OutputLength(cout), nameof(dy));
        int ckk = c * kh * kw;
        long wlen = (long)cout * ckk;
        ConvGeometry.CheckLength(dw.Length, wlen, nameof(dw));
        if (n == 0)
        {
            dw[..(int)wlen].Clear();
            return;
        }

        // The batch is cut into a fixed number of contiguous groups, each summed into its own slice
        // of a buffer owned by the calling thread; workers claim groups dynamically (a worker with
        // less CPU time takes fewer), and the slices are summed in group order at the end. The
        // result therefore does not depend on which worker ran which group: it is bit-identical
        // from run to run, which resumed training relies on.
        int groups = Math.Min(n, WeightGradGroups);
        int workers = Parts(n);
        fixed (float* px = x)
        fixed (float* pdy = dy)
        fixed (float* pdw = dw)
        {
            if (UsesWinograd(isa, g, cout))
            {
                WinogradBackwardWeight(isa, g, px, pdy, cout, pdw);
                return;
            }

            // Each group accumulates dw^T = sum_i col_i * dy_i^T ([C*KH*KW, Cout]). The lowered
            // matrix is the GEMM's A side, so its many rows fill the micro-kernel tiles and Cout
            // becomes the (short) column side.
            float* partials = Scratch(ref t_partial, groups * wlen);
            nint ix = (nint)px, idy = (nint)pdy, ipart = (nint)partials;
            void Group(int gi, bool gemmParallel)
            {
                int start = (int)((long)n * gi / groups);
                int end = (int)((long)n * (gi + 1) / groups);
                int ohw = g.OutPlane;
                bool pointwise = IsPointwise(g);
                int chunk = pointwise ? ohw : ChunkPixels(isa, ckk, ohw);
                float* col = pointwise ? null : Scratch(ref t_col, (long)ckk * chunk);
                float* accT = (float*)ipart + gi * wlen;
                bool started = false;
                for (int i = start; i < end; i++)
                {
                    float* xi = (float*)ix + (long)i * c * g.InPlane;
                    float* dyi = (float*)idy + (long)i * cout * ohw;
                    for (int q0 = 0; q0 < ohw; q0 += chunk)
                    {
                        int len = Math.Min(chunk, ohw - q0);
                        float beta = started ? 1f : 0f;
                        started = true;
                        float* amat = xi + q0;
                        int lda = ohw;
                        if (!pointwise)
                        {
                            Im2Col(g, xi, col, q0, q0 + len);
                            amat = col;
                            lda = len;
                        }

                        CpuGemm.Gemm(false, true, ckk, cout, len, 1f, amat, lda, dyi + q0, ohw, beta, accT, cout, gemmParallel, isa);
                    }
                }
            }

            if (workers <= 1 || groups == 1)
            {
                for (int gi = 0; gi < groups; gi++)
                {
                    Group(gi, true);
                }
            }
            else
            {
                WorkQueue.Run(workers, groups, (_, gi) => Group(gi, false));
            }

            int used = groups;
            SumTransposed(partials, used, ckk, cout, pdw);
        }
    }

    // dw[co, j] = sum over parts of accT[part][j, co].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumTransposed(float* partials, int parts, int ckk, int cout, float* dw)
    {
        long wlen = (long)ckk * cout;
        for (int co = 0; co < cout; co++)
        {
            float* drow = dw + (long)co * ckk;
            for (int j = 0; j < ckk; j++)
            {
                float* src = partials + (long)j * cout + co;
                float sum = src[0];
                for (int part = 1; part < parts; part++)
                {
                    sum += src[part * wlen];
                }

                drow[j] = sum;
            }
        }
    }

    /// <summary>
    /// Packs op(weight) once per call for the GEMM kernel (the weight is the same matrix for every
    /// image and chunk). op(weight) is m x k; the stored weight is [Cout, C*KH*KW] either way.
    /// Returns null when the packed kernel is unavailable.
    /// </summary>
    private static float* PackWeight(CpuIsa isa, bool transposed, int m, int k, float* weight)
    {
        if (!CpuGemm.HasPacked(isa))
        {
            return null;
        }

        float* dst = Scratch(ref t_weightPack, CpuGemm.PackedASize(isa, m, k));
        CpuGemm.PackAll(isa, transposed, m, k, weight, transposed ? m : k, dst);
        return dst;
    }

    // c = op(weight) * b (overwriting c), with op(weight) m x k, b k x n.
    private static void MultiplyWeight(CpuIsa isa, nint packed, bool transposed, int m, int n, int k, float* weight,
        float* b, int ldb, float* c, int ldc, bool parallel)
    {
        if (packed != 0)
        {
            CpuGemm.GemmPackedA(false, m, n, k, 1f, (float*)packed, b, ldb, 0f, c, ldc, parallel, isa);
        }
        else
        {
            CpuGemm.Gemm(transposed, false, m, n, k, 1f, weight, transposed ? m : k, b, ldb, 0f, c, ldc, parallel, isa);
        }
    }

    private static bool IsPointwise(in ConvGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PH == 0 && g.PW == 0;

    private static float* Scratch(ref AlignedBuffer? buffer, long count)
    {
        buffer ??= new AlignedBuffer();
        return buffer.Get(Math.Max(count, 1));
    }

    private delegate void ImageRange(int start, int end, bool gemmParallel);

    private delegate void PartImageRange(int part, int start, int end, bool gemmParallel);

    private static int Parts(int n) => Math.Min(CpuGemm.MaxThreads, n);

    // Fixed number of partial sums of the weight gradient (independent of the machine's core count).
    private const int WeightGradGroups = 8;

    private static void ForEachImage(int n, ImageRange body) =>
        ForEachImage(n, Parts(n), (part, start, end, gemmParallel) => body(start, end, gemmParallel));

    // With several images, each worker repeatedly claims the next unprocessed image (so a worker
    // that gets less CPU time simply processes fewer images) and runs single-threaded GEMMs.
    // A single image lets the GEMM itself use all threads. body(worker, start, end, gemmParallel).
    private static void ForEachImage(int n, int workers, PartImageRange body)
    {
        if (workers <= 1)
        {
            body(0, 0, n, true);
            return;
        }

        WorkQueue.Run(workers, n, (worker, i) => body(worker, i, i + 1, false));
    }

    // Output pixels per im2col chunk: the chunk of the lowered matrix (and its packed copy) should
    // stay in the per-core L2 cache. Every chunk but the last is a whole number of the GEMM's column
    // panels (32 columns on the AVX-512 path, 16 otherwise), so an image's pixels fill the fewest
    // panels: a 14x14 plane of 576-deep columns had been cut 80 + 80 + 36, eight 32-column panels for
    // 196 pixels where seven suffice.
    private const int ColChunkFloats = 48 * 1024;

    private static int ChunkPixels(CpuIsa isa, int ckk, int ohw)
    {
        int nr = isa == CpuIsa.Avx512 ? GemmPacked512.NR : GemmPacked.NR;
        int chunk = Math.Max(nr, ColChunkFloats / ckk / nr * nr);
        return Math.Min(chunk, ohw);
    }

    /// <summary>
    /// Lowers output pixels [q0, q1) of one image [C, H, W] into col [C*KH*KW, q1-q0]; entries whose
    /// window position falls into the padding are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2Col(in ConvGeometry g, float* x, float* col, int q0, int q1)
    {
        if (IsSameStride1(g))
        {
            Im2ColSame(g, x, col, q0, q1);
            return;
        }

        int ow = g.OW;
        int len = q1 - q0;
        int oyFirst = q0 / ow, oyLast = (q1 - 1) / ow;
        float* dst = col;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* plane = x + (long)ci * g.InPlane;
            for (int ki = 0; ki < g.KH; ki++)
            {
                for (int kj = 0; kj < g.KW; kj++)
                {
                    g.ValidRangeW(kj, out int ox0, out int ox1);
                    for (int oy = oyFirst; oy <= oyLast; oy++)
                    {
                        int rowBase = oy * ow;
                        int xs = Math.Max(0, q0 - rowBase), xe = Math.Min(ow, q1 - rowBase);
                        float* d = dst + rowBase - q0;
                        int iy = oy * g.SH - g.PH + ki;
                        if ((uint)iy >= (uint)g.H)
                        {
                            new Span<float>(d + xs, xe - xs).Clear();
                            continue;
                        }

                        int a = Math.Max(xs, ox0), b = Math.Min(xe, ox1);
                        if (b < a)
                        {
                            b = a = Math.Min(Math.Max(xs, ox0), xe);
                        }

                        for (int ox = xs; ox < a; ox++)
                        {
                            d[ox] = 0f;
                        }

                        float* src = plane + (long)iy * g.W - g.PW + kj;
                        if (g.SW == 1)
                        {
                            Copy(d + a, src + a, b - a);
                        }
                        else
                        {
                            int st = g.SW;
                            for (int ox = a; ox < b; ox++)
                            {
                                d[ox] = src[ox * st];
                            }
                        }

                        for (int ox = b; ox < xe; ox++)
                        {
                            d[ox] = 0f;
                        }
                    }

                    dst += len;
                }
            }
        }
    }

    /// <summary>
    /// Adds col [C*KH*KW, q1-q0] (output pixels [q0, q1)) back into one image [C, H, W], summing
    /// overlapping windows. The image is not cleared first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Col2Im(in ConvGeometry g, float* col, float* x, int q0, int q1)
    {
        if (IsSameStride1(g))
        {
            Col2ImSame(g, col, x, q0, q1);
            return;
        }

        int ow = g.OW;
        int len = q1 - q0;
        int oyFirst = q0 / ow, oyLast = (q1 - 1) / ow;
        float* src = col;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* plane = x + (long)ci * g.InPlane;
            for (int ki = 0; ki < g.KH; ki++)
            {
                for (int kj = 0; kj < g.KW; kj++)
                {
                    g.ValidRangeW(kj, out int ox0, out int ox1);
                    for (int oy = oyFirst; oy <= oyLast; oy++)
                    {
                        int iy = oy * g.SH - g.PH + ki;
                        if ((uint)iy >= (uint)g.H)
                        {
                            continue;
                        }

                        int rowBase = oy * ow;
                        int a = Math.Max(Math.Max(0, q0 - rowBase), ox0);
                        int b = Math.Min(Math.Min(ow, q1 - rowBase), ox1);
                        if (b <= a)
                        {
                            continue;
                        }

                        float* s = src + rowBase - q0;
                        float* d = plane + (long)iy * g.W - g.PW + kj;
                        if (g.SW == 1)
                        {
                            AddTo(d + a, s + a, b - a);
                        }
                        else
                        {
                            int st = g.SW;
                            for (int ox = a; ox < b; ox++)
                            {
                                d[ox * st] += s[ox];
                            }
                        }
                    }

                    src += len;
                }
            }
        }
    }

    // Stride 1 with OW == W: output pixel q reads input element q + (ki-PH)*W + (kj-PW) of the plane,
    // so a whole lowered row is one shifted copy plus zeros in the columns that fall into padding.
    private static bool IsSameStride1(in ConvGeometry g) => g.SW == 1 && g.SH == 1 && g.OW == g.W;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2ColSame(in ConvGeometry g, float* x, float* col, int q0, int q1)
    {
        int w = g.W, plane = g.InPlane;
        int len = q1 - q0;
        float* dst = col;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* src = x + (long)ci * plane;
            for (int ki = 0; ki < g.KH; ki++)
            {
                g.ValidRangeH(ki, out int oy0, out int oy1);
                int qa = Math.Max(q0, oy0 * w), qb = Math.Min(q1, oy1 * w);
                for (int kj = 0; kj < g.KW; kj++, dst += len)
                {
                    if (qb <= qa)
                    {
                        new Span<float>(dst, len).Clear();
                        continue;
                    }

                    int off = (ki - g.PH) * w + (kj - g.PW);
                    float* d = dst - q0;
                    Clear(d + q0, qa - q0);
                    Clear(d + qb, q1 - qb);
                    int ca = Math.Max(qa + off, 0), cb = Math.Min(qb + off, plane);
                    Copy(d + ca - off, src + ca, cb - ca);
                    g.ValidRangeW(kj, out int ox0, out int ox1);
                    ZeroColumns(d, w, qa, qb, ox0, ox1);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2ImSame(in ConvGeometry g, float* col, float* x, int q0, int q1)
    {
        int w = g.W, plane = g.InPlane;
        int len = q1 - q0;
        float* srcRow = col;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* dst = x + (long)ci * plane;
            for (int ki = 0; ki < g.KH; ki++)
            {
                g.ValidRangeH(ki, out int oy0, out int oy1);
                int qa = Math.Max(q0, oy0 * w), qb = Math.Min(q1, oy1 * w);
                for (int kj = 0; kj < g.KW; kj++, srcRow += len)
                {
                    if (qb <= qa)
                    {
                        continue;
                    }

                    // Zero the padding columns in the (scratch) lowered row so that one contiguous
                    // add never moves their values into a neighbouring image row.
                    float* s = srcRow - q0;
                    g.ValidRangeW(kj, out int ox0, out int ox1);
                    ZeroColumns(s, w, qa, qb, ox0, ox1);
                    int off = (ki - g.PH) * w + (kj - g.PW);
                    int ca = Math.Max(qa + off, 0), cb = Math.Min(qb + off, plane);
                    AddTo(dst + ca, s + ca - off, cb - ca);
                }
            }
        }
    }

    // For pixels q in [qa, qb) (indexed from d), zeroes those whose column lies outside [ox0, ox1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ZeroColumns(float* d, int w, int qa, int qb, int ox0, int ox1)
    {
        if (ox0 == 0 && ox1 == w)
        {
            return;
        }

        int firstRow = qa / w * w;
        int lastRow = (qb - 1) / w * w;

        // Partial first and last rows with bounds checks; whole rows in between without.
        ZeroColumnsChecked(d, w, firstRow, qa, qb, ox0, ox1);
        if (lastRow != firstRow)
        {
            ZeroColumnsChecked(d, w, lastRow, qa, qb, ox0, ox1);
        }

        int tail = w - ox1;
        for (float* row = d + firstRow + w; row < d + lastRow; row += w)
        {
            for (int t = 0; t < ox0; t++)
            {
                row[t] = 0f;
            }

            float* r1 = row + ox1;
            for (int t = 0; t < tail; t++)
            {
                r1[t] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroColumnsChecked(float* d, int w, int rowBase, int qa, int qb, int ox0, int ox1)
    {
        int lo = Math.Max(rowBase, qa), hi = Math.Min(rowBase + ox0, qb);
        for (int q = lo; q < hi; q++)
        {
            d[q] = 0f;
        }

        lo = Math.Max(rowBase + ox1, qa);
        hi = Math.Min(rowBase + w, qb);
        for (int q = lo; q < hi; q++)
        {
            d[q] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(float* p, int len)
    {
        for (int i = 0; i < len; i++)
        {
            p[i] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* dst, float* src, int len)
    {
        int vw = Vector<float>.Count;
        int i = 0;
        for (; i <= len - vw; i += vw)
        {
            Unsafe.WriteUnaligned(dst + i, Unsafe.ReadUnaligned<Vector<float>>(src + i));
        }

        for (; i < len; i++)
        {
            dst[i] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* dst, float* src, long len)
    {
        int vw = Vector<float>.Count;
        long i = 0;
        for (; i <= len - vw; i += vw)
        {
            Unsafe.WriteUnaligned(dst + i, Unsafe.ReadUnaligned<Vector<float>>(dst + i) + Unsafe.ReadUnaligned<Vector<float>>(src + i));
        }

        for (; i < len; i++)
        {
            dst[i] += src[i];
        }
    }
}
