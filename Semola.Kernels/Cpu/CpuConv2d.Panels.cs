using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// The AVX-512 path of stride-1 "same-width" convolutions (OW == W, e.g. 3x3 with padding 1): the
/// input is lowered straight into the GEMM's packed 32-column panels (one masked 512-bit load per
/// half panel row, the mask zeroing the taps that fall into the padding), so the lowered matrix is
/// written once and never repacked; the product then runs on both packed operands
/// (<see cref="GemmPacked512.RunPackedAB"/>). The input gradient of such a convolution with odd
/// kernels and padding (K - 1) / 2 is the same convolution of the output gradient with the weight
/// flipped in space and with its channel axes swapped, so it takes this path too instead of a GEMM
/// followed by col2im.
/// </summary>
public static unsafe partial class CpuConv2d
{
    [ThreadStatic] private static AlignedBuffer? t_masks;
    [ThreadStatic] private static AlignedBuffer? t_flipped;
    [ThreadStatic] private static AlignedBuffer? t_product;
    [ThreadStatic] private static ChunkLayout? t_layout;

    // The chunk layout for this geometry and image count, reused from the last call on this thread
    // when they match (a training step calls every layer's convolution once forward and once backward).
    private static ChunkLayout LayoutFor(in ConvGeometry g, int images)
    {
        var key = (g.H, g.W, g.KH, g.KW, g.PH, g.PW, images);
        if (t_layout is not { } cached || cached.Key != key)
        {
            t_layout = cached = new ChunkLayout(g, images);
        }

        return cached;
    }

    // Whether the lowered-into-panels path applies: AVX-512, stride 1 and output width equal to the
    // input width (then output pixel q reads input element q + (ki - PH) * W + (kj - PW)).
    private static bool UsesPanels(CpuIsa isa, in ConvGeometry g) =>
        isa == CpuIsa.Avx512 && IsSameStride1(g) && g.KH * g.KW > 0;

    // Whether the input gradient is computed as a forward convolution of dy with the flipped,
    // transposed weight under the same geometry (odd kernels, padding (K - 1) / 2, stride 1): on the
    // AVX-512 path always, on the AVX2 path when that convolution runs through Winograd.
    private static bool InputGradIsConvolution(CpuIsa isa, in ConvGeometry g, int cout) =>
        g.KH == (2 * g.PH) + 1 && g.KW == (2 * g.PW) + 1 && g.OH == g.H
        && (UsesPanels(isa, g) || (isa == CpuIsa.Avx2 && UsesWinograd(isa, g.WithChannels(cout), g.C)));

    /// <summary>
    /// Lane masks of every (32-pixel panel, tap) pair of one output plane: lane t of panel gp and tap
    /// (ki, kj) is all ones when output pixel q = 32 gp + t exists and its tap reads inside the
    /// input, zero otherwise. Layout [panel][tap][32] as float bit patterns.
    /// </summary>
    private static float* TapMasks(in ConvGeometry g)
    {
        int ohw = g.OutPlane;
        int nr = GemmPacked512.NR;
        int panels = (ohw + nr - 1) / nr;
        int taps = g.KH * g.KW;
        float* masks = Scratch(ref t_masks, (long)panels * taps * nr);
        uint* bits = (uint*)masks;
        for (int gp = 0; gp < panels; gp++)
        {
            for (int ki = 0; ki < g.KH; ki++)
            {
                for (int kj = 0; kj < g.KW; kj++)
                {
                    uint* m = bits + ((((long)gp * taps) + (ki * g.KW) + kj) * nr);
                    for (int t = 0; t < nr; t++)
                    {
                        int q = (gp * nr) + t;
                        int iy = (q / g.OW) - g.PH + ki;
                        int ix = (q % g.OW) - g.PW + kj;
                        bool valid = q < ohw && (uint)iy < (uint)g.H && (uint)ix < (uint)g.W;
                        m[t] = valid ? uint.MaxValue : 0u;
                    }
                }
            }
        }

        return masks;
    }

    /// <summary>
    /// Lowers output pixels [q0, q0 + len) of one image [C, H, W] (q0 a multiple of 32) into the packed
    /// layout of <see cref="GemmPacked512.PackedBOffset"/> for the k = C*KH*KW x len matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2ColPanels(in ConvGeometry g, float* x, float* masks, int q0, int len, float* dst)
    {
        const int nr = GemmPacked512.NR;
        int taps = g.KH * g.KW;
        int k = g.C * taps;
        int kcStep = GemmPacked512.KcStep(k);
        long np = (len + nr - 1) / nr * nr;
        int firstPanel = q0 / nr;
        int p = 0;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* plane = x + ((long)ci * g.InPlane) + q0;
            for (int tap = 0; tap < taps; tap++, p++)
            {
                int ki = tap / g.KW, kj = tap - (ki * g.KW);
                int pc = p / kcStep * kcStep;
                int kc = Math.Min(kcStep, k - pc);
                float* src = plane + ((ki - g.PH) * g.W) + (kj - g.PW);
                float* d = dst + (pc * np) + ((long)(p - pc) * nr);
                float* m = masks + (((long)firstPanel * taps) + tap) * nr;
                long panelStride = (long)kc * nr;
                long maskStride = (long)taps * nr;
                for (int jr = 0; jr < len; jr += nr)
                {
                    var lo = Avx512F.MaskLoad(src + jr, Avx512F.LoadVector512(m), Vector512<float>.Zero);
                    var hi = Avx512F.MaskLoad(src + jr + 16, Avx512F.LoadVector512(m + 16), Vector512<float>.Zero);
                    Avx512F.Store(d, lo);
                    Avx512F.Store(d + 16, hi);
                    d += panelStride;
                    m += maskStride;
                }
            }
        }
    }

    /// <summary>
    /// How many whole images one lowered chunk holds on the panel path: the count (at most what fits
    /// in three quarters of the per-core L2 cache: the lowered chunk is written once and read once,
    /// with no packed copy beside it) that wastes the fewest columns of the last 32-column panel.
    /// Planes of 7x7 pixels (49 = 32 + 17) fill two panels to 77% one image at a time; three images
    /// (147 pixels, five panels) fill them to 92%. 1 when one image's plane does not fit.
    /// </summary>
    internal static int ImagesPerChunk(int ckk, int ohw, int n)
    {
        const int nr = GemmPacked512.NR;
        long budget = Math.Max(CpuFeatures.L2CacheBytes / 4 * 3 / sizeof(float), 16L * 1024);
        int most = (int)Math.Min(n, budget / ((long)ckk * ohw));
        int best = 1;
        double bestFill = 0;
        for (int images = 1; images <= most; images++)
        {
            int cols = images * ohw;
            double fill = (double)cols / ((cols + nr - 1) / nr * nr);
            if (fill > bestFill + 0.01)
            {
                best = images;
                bestFill = fill;
            }
        }

        return best;
    }

    /// <summary>
    /// The lane layout of a chunk of <paramref name="images"/> whole images on the panel path: column
    /// J = a * OH*OW + q holds pixel q of the chunk's image a. Each 32-column panel is cut into
    /// segments of one image each; segment s covers lanes [t0, t1) of its panel, reads its image
    /// <c>Image[s]</c> at plane offset <c>Shift[s]</c> + lane, and has one lane mask per tap (lanes of
    /// the segment whose tap falls inside the input).
    /// </summary>
    private sealed class ChunkLayout
    {
        public ChunkLayout(in ConvGeometry g, int images)
        {
            Key = (g.H, g.W, g.KH, g.KW, g.PH, g.PW, images);
            const int nr = GemmPacked512.NR;
            int ohw = g.OutPlane;
            int len = images * ohw;
            int panels = (len + nr - 1) / nr;
            int taps = g.KH * g.KW;
            var first = new List<int>();
            var image = new List<int>();
            var shift = new List<int>();
            var lanes = new List<(int T0, int T1, int Q0)>();
            PanelFirstSegment = new int[panels + 1];
            for (int gp = 0; gp < panels; gp++)
            {
                PanelFirstSegment[gp] = image.Count;
                int j0 = gp * nr, j1 = Math.Min(len, j0 + nr);
                for (int j = j0; j < j1;)
                {
                    int a = j / ohw, q = j - (a * ohw);
                    int end = Math.Min(j1, (a + 1) * ohw);
                    image.Add(a);
                    shift.Add(q - (j - j0));
                    lanes.Add((j - j0, end - j0, q));
                    j = end;
                }
            }

            PanelFirstSegment[panels] = image.Count;
            Image = [.. image];
            Shift = [.. shift];
            Masks = new AlignedBuffer();
            uint* bits = (uint*)Masks.Get((long)Math.Max(1, Image.Length) * taps * nr);
            for (int sgm = 0; sgm < Image.Length; sgm++)
            {
                var (t0, t1, q0) = lanes[sgm];
                for (int ki = 0; ki < g.KH; ki++)
                {
                    for (int kj = 0; kj < g.KW; kj++)
                    {
                        uint* m = bits + ((((long)sgm * taps) + (ki * g.KW) + kj) * nr);
                        for (int t = 0; t < nr; t++)
                        {
                            int q = q0 + (t - t0);
                            int iy = (q / g.OW) - g.PH + ki;
                            int ix = (q % g.OW) - g.PW + kj;
                            m[t] = t >= t0 && t < t1 && (uint)iy < (uint)g.H && (uint)ix < (uint)g.W ? uint.MaxValue : 0u;
                        }
                    }
                }
            }
        }

        public (int H, int W, int KH, int KW, int PH, int PW, int Images) Key { get; }

        public int[] PanelFirstSegment { get; }

        public int[] Image { get; }

        public int[] Shift { get; }

        public AlignedBuffer Masks { get; }
    }

    /// <summary>
    /// y = conv(x) for images [i0, i0 + count) of the batch lowered together as one chunk of the
    /// <paramref name="layout"/> (count at most its image count): the lowered columns go straight
    /// into the packed panels, the product into a per-thread buffer, then each image's rows to y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardImageChunk(in ConvGeometry g, ChunkLayout layout, float* x, int i0, int count, int cout,
        float* packedWeight, float* y)
    {
        const int nr = GemmPacked512.NR;
        int taps = g.KH * g.KW;
        int k = g.C * taps;
        int ohw = g.OutPlane;
        int len = count * ohw;
        int panels = (len + nr - 1) / nr;
        long np = (long)panels * nr;
        int kcStep = GemmPacked512.KcStep(k);
        float* col = Scratch(ref t_col, GemmPacked512.PackedBSize(k, len));
        float* masks = layout.Masks.Get(0);
        long imageStride = (long)g.C * g.InPlane;
        float* batch = x + (i0 * imageStride);
        int p = 0;
        for (int ci = 0; ci < g.C; ci++)
        {
            float* planes = batch + ((long)ci * g.InPlane);
            for (int tap = 0; tap < taps; tap++, p++)
            {
                int ki = tap / g.KW, kj = tap - (ki * g.KW);
                int tapShift = ((ki - g.PH) * g.W) + (kj - g.PW);
                int pc = p / kcStep * kcStep;
                int kc = Math.Min(kcStep, k - pc);
                float* d = col + (pc * np) + ((long)(p - pc) * nr);
                long panelStride = (long)kc * nr;
                for (int gp = 0; gp < panels; gp++, d += panelStride)
                {
                    var lo = Vector512<float>.Zero;
                    var hi = Vector512<float>.Zero;
                    for (int sgm = layout.PanelFirstSegment[gp]; sgm < layout.PanelFirstSegment[gp + 1]; sgm++)
                    {
                        int a = layout.Image[sgm];
                        if (a >= count)
                        {
                            break;
                        }

                        float* src = planes + (a * imageStride) + layout.Shift[sgm] + tapShift;
                        float* m = masks + ((((long)sgm * taps) + tap) * nr);
                        lo = Avx512F.MaskLoad(src, Avx512F.LoadVector512(m), lo);
                        hi = Avx512F.MaskLoad(src + 16, Avx512F.LoadVector512(m + 16), hi);
                    }

                    Avx512F.Store(d, lo);
                    Avx512F.Store(d + 16, hi);
                }
            }
        }

        float* product = Scratch(ref t_product, (long)cout * len);
        GemmPacked512.RunPackedAB(cout, len, k, packedWeight, col, product, len);
        for (int a = 0; a < count; a++)
        {
            float* yi = y + ((long)(i0 + a) * cout * ohw);
            for (int co = 0; co < cout; co++)
            {
                new ReadOnlySpan<float>(product + ((long)co * len) + ((long)a * ohw), ohw).CopyTo(new Span<float>(yi + ((long)co * ohw), ohw));
            }
        }
    }

    // Direct loops when there are at most this many output channels (the input gradient of a first
    // layer on images, a convolution with 1 or 3 outputs): the GEMM's product would be 1 to 4 rows
    // tall against its 12-row tile. (A first layer's forward, with few inputs and many outputs, stays on
    // the GEMM: direct loops were slower there, 2.8 against 2.3 ms for 128x1x28x28 -> 32 on one thread.)
    private const int DirectChannels = 4;

    private static bool UsesDirectSmall(CpuIsa isa, in ConvGeometry g, int cout) =>
        UsesPanels(isa, g) && cout <= DirectChannels;

    /// <summary>
    /// y = conv(x) for a stride-1, same-width convolution with few output channels: 16 output
    /// pixels a vector, each (input channel, tap) one masked load (the tap masks zero the padding)
    /// multiplied into up to four output channels' accumulators; with one output channel the sum is
    /// split over four accumulators by input channel so the additions do not wait on each other.
    /// Images are spread over the workers.
    /// </summary>
    private static void DirectSmallForward(in ConvGeometry g, float* x, float* weight, int cout, float* y)
    {
        float* masks = TapMasks(g);
        var geo = g;
        nint ix = (nint)x, iw = (nint)weight, iy = (nint)y, im = (nint)masks;
        WorkQueue.Run(Parts(g.N), g.N, (_, i) => DirectSmallImage(geo, (float*)ix, (float*)iw, cout, (float*)iy, (float*)im, i));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectSmallImage(in ConvGeometry g, float* x, float* weight, int cout, float* y, float* masks, int image)
    {
        const int nr = GemmPacked512.NR;
        int taps = g.KH * g.KW;
        int c = g.C;
        int ohw = g.OutPlane;
        float* xi = x + ((long)image * c * g.InPlane);
        float* yi = y + ((long)image * cout * ohw);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++)
        {
            offsets[t] = (((t / g.KW) - g.PH) * g.W) + ((t % g.KW) - g.PW);
        }

        var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int q0 = 0; q0 < ohw; q0 += 16)
        {
            float* m = masks + (((long)(q0 / nr) * taps) * nr) + (q0 % nr);
            var store = Vector512.LessThan(lane, Vector512.Create(ohw - q0)).AsSingle();
            if (cout == 1)
            {
                var a0 = Vector512<float>.Zero;
                var a1 = Vector512<float>.Zero;
                var a2 = Vector512<float>.Zero;
                var a3 = Vector512<float>.Zero;
                for (int ci = 0; ci < c; ci++)
                {
                    float* xc = xi + ((long)ci * g.InPlane) + q0;
                    float* wc = weight + ((long)ci * taps);
                    for (int t = 0; t < taps; t++)
                    {
                        var xv = Avx512F.MaskLoad(xc + offsets[t], Avx512F.LoadVector512(m + (t * nr)), Vector512<float>.Zero);
                        switch (ci & 3)
                        {
                            case 0: a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(wc[t]), xv, a0); break;
                            case 1: a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(wc[t]), xv, a1); break;
                            case 2: a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(wc[t]), xv, a2); break;
                            default: a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(wc[t]), xv, a3); break;
                        }
                    }
                }

                Avx512F.MaskStore(yi + q0, store, (a0 + a1) + (a2 + a3));
                continue;
            }

            for (int co0 = 0; co0 < cout; co0 += 4)
            {
                int count = Math.Min(4, cout - co0);
                long wStride = (long)c * taps;
                float* w0 = weight + ((long)co0 * wStride);
                float* w1 = weight + ((long)Math.Min(co0 + 1, cout - 1) * wStride);
                float* w2 = weight + ((long)Math.Min(co0 + 2, cout - 1) * wStride);
                float* w3 = weight + ((long)Math.Min(co0 + 3, cout - 1) * wStride);
                var a0 = Vector512<float>.Zero;
                var a1 = Vector512<float>.Zero;
                var a2 = Vector512<float>.Zero;
                var a3 = Vector512<float>.Zero;
                for (int ci = 0; ci < c; ci++)
                {
                    float* xc = xi + ((long)ci * g.InPlane) + q0;
                    int wo = ci * taps;
                    for (int t = 0; t < taps; t++)
                    {
                        var xv = Avx512F.MaskLoad(xc + offsets[t], Avx512F.LoadVector512(m + (t * nr)), Vector512<float>.Zero);
                        a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(w0[wo + t]), xv, a0);
                        a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(w1[wo + t]), xv, a1);
                        a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(w2[wo + t]), xv, a2);
                        a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(w3[wo + t]), xv, a3);
                    }
                }

                float* yc = yi + ((long)co0 * ohw) + q0;
                Avx512F.MaskStore(yc, store, a0);
                if (count > 1)
                {
                    Avx512F.MaskStore(yc + ohw, store, a1);
                }

                if (count > 2)
                {
                    Avx512F.MaskStore(yc + (2L * ohw), store, a2);
                }

                if (count > 3)
                {
                    Avx512F.MaskStore(yc + (3L * ohw), store, a3);
                }
            }
        }
    }

    // weight [cout, c, kh, kw] -> flipped [c, cout, kh, kw] with flipped[ci, co, i, j] = weight[co, ci, kh-1-i, kw-1-j].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float* FlipTranspose(float* weight, int cout, int c, int kh, int kw)
    {
        int taps = kh * kw;
        float* f = Scratch(ref t_flipped, (long)cout * c * taps);
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                float* src = weight + ((((long)co * c) + ci) * taps);
                float* dst = f + ((((long)ci * cout) + co) * taps);
                for (int t = 0; t < taps; t++)
                {
                    dst[t] = src[taps - 1 - t];
                }
            }
        }

        return f;
    }
}
