using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// 2-D max and average pooling on NCHW float tensors.
/// <para>
/// Input is [N, C, H, W], output [N, C, OH, OW] with <c>OH = (H + 2*PH - KH) / SH + 1</c>
/// (floor mode) and likewise for OW. Every method takes the input geometry (n, c, h, w), the
/// window (kh, kw), strides (sh, sw) and padding (ph, pw) in that order; backward methods take
/// the same geometry as their forward call and overwrite the input gradient.
/// </para>
/// </summary>
public static unsafe class CpuPool2d
{
    // Elements touched below which pooling stays on the calling thread.
    private const long ParallelThreshold = 1 << 16;

    /// <summary>
    /// Max pooling. Padded positions never win (they act as -infinity); a NaN inside the window
    /// propagates. <paramref name="argmax"/> receives, for each output, the flat index
    /// <c>ih * w + iw</c> of the chosen element inside its own input plane (-1 if the window
    /// covers only padding).
    /// </summary>
    /// <param name="x">Input [n, c, h, w].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Window height.</param>
    /// <param name="kw">Window width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical padding.</param>
    /// <param name="pw">Horizontal padding.</param>
    /// <param name="y">Output [n, c, oh, ow].</param>
    /// <param name="argmax">Per-output index of the maximum inside the input plane [n, c, oh, ow].</param>
    public static void MaxForward(ReadOnlySpan<float> x, int n, int c, int h, int w, int kh, int kw,
        int sh, int sw, int ph, int pw, Span<float> y, Span<int> argmax)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        ConvGeometry.CheckLength(x.Length, g.InputLength(c), nameof(x));
        ConvGeometry.CheckLength(y.Length, g.OutputLength(c), nameof(y));
        ConvGeometry.CheckLength(argmax.Length, g.OutputLength(c), nameof(argmax));
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (int* pi = argmax)
        {
            nint ix = (nint)px, iy = (nint)py, ii = (nint)pi;
            var isa = CpuFeatures.Current;
            ForPlanes(n * c, g.InputLength(c) + g.OutputLength(c), (p0, p1) =>
            {
                for (int p = p0; p < p1; p++)
                {
                    MaxPlane(g, (float*)ix + (long)p * g.InPlane, (float*)iy + (long)p * g.OutPlane, (int*)ii + (long)p * g.OutPlane, isa);
                }
            });
        }
    }

    /// <summary>
    /// Max pooling backward: dx is zeroed, then each dy element is added at its argmax position.
    /// </summary>
    /// <param name="dy">Output gradient [n, c, oh, ow].</param>
    /// <param name="argmax">Indices written by <see cref="MaxForward"/>.</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Window height.</param>
    /// <param name="kw">Window width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical padding.</param>
    /// <param name="pw">Horizontal padding.</param>
    /// <param name="dx">Input gradient [n, c, h, w].</param>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, int n, int c, int h, int w,
        int kh, int kw, int sh, int sw, int ph, int pw, Span<float> dx)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        ConvGeometry.CheckLength(dy.Length, g.OutputLength(c), nameof(dy));
        ConvGeometry.CheckLength(argmax.Length, g.OutputLength(c), nameof(argmax));
        ConvGeometry.CheckLength(dx.Length, g.InputLength(c), nameof(dx));
        fixed (float* pdy = dy)
        fixed (int* pi = argmax)
        fixed (float* pdx = dx)
        {
            nint idy = (nint)pdy, ii = (nint)pi, idx = (nint)pdx;
            int inPlane = g.InPlane, outPlane = g.OutPlane;
            ForPlanes(n * c, g.InputLength(c) + g.OutputLength(c), (p0, p1) =>
            {
                for (int p = p0; p < p1; p++)
                {
                    MaxPlaneBackward((float*)idy + (long)p * outPlane, (int*)ii + (long)p * outPlane, outPlane,
                        (float*)idx + (long)p * inPlane, inPlane);
                }
            });
        }
    }

    /// <summary>
    /// Average pooling with count_include_pad = true: every output is the window sum divided by kh*kw.
    /// </summary>
    /// <param name="x">Input [n, c, h, w].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Window height.</param>
    /// <param name="kw">Window width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical padding.</param>
    /// <param name="pw">Horizontal padding.</param>
    /// <param name="y">Output [n, c, oh, ow].</param>
    public static void AvgForward(ReadOnlySpan<float> x, int n, int c, int h, int w, int kh, int kw,
        int sh, int sw, int ph, int pw, Span<float> y)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        ConvGeometry.CheckLength(x.Length, g.InputLength(c), nameof(x));
        ConvGeometry.CheckLength(y.Length, g.OutputLength(c), nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            nint ix = (nint)px, iy = (nint)py;
            ForPlanes(n * c, g.InputLength(c) * kh * kw / Math.Max(1, sh * sw), (p0, p1) =>
            {
                for (int p = p0; p < p1; p++)
                {
                    AvgPlane(g, (float*)ix + (long)p * g.InPlane, (float*)iy + (long)p * g.OutPlane);
                }
            });
        }
    }

    /// <summary>
    /// Average pooling backward (count_include_pad = true): dx is zeroed, then dy/(kh*kw) is
    /// added to every in-bounds input position of each window.
    /// </summary>
    /// <param name="dy">Output gradient [n, c, oh, ow].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="kh">Window height.</param>
    /// <param name="kw">Window width.</param>
    /// <param name="sh">Vertical stride.</param>
    /// <param name="sw">Horizontal stride.</param>
    /// <param name="ph">Vertical padding.</param>
    /// <param name="pw">Horizontal padding.</param>
    /// <param name="dx">Input gradient [n, c, h, w].</param>
    public static void AvgBackward(ReadOnlySpan<float> dy, int n, int c, int h, int w, int kh, int kw,
        int sh, int sw, int ph, int pw, Span<float> dx)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        ConvGeometry.CheckLength(dy.Length, g.OutputLength(c), nameof(dy));
        ConvGeometry.CheckLength(dx.Length, g.InputLength(c), nameof(dx));
        fixed (float* pdy = dy)
        fixed (float* pdx = dx)
        {
            nint idy = (nint)pdy, idx = (nint)pdx;
            ForPlanes(n * c, g.InputLength(c) * kh * kw / Math.Max(1, sh * sw), (p0, p1) =>
            {
                for (int p = p0; p < p1; p++)
                {
                    AvgPlaneBackward(g, (float*)idy + (long)p * g.OutPlane, (float*)idx + (long)p * g.InPlane);
                }
            });
        }
    }

    /// <summary>Global average pooling: y[n, c] = mean of x[n, c, :, :].</summary>
    /// <param name="x">Input [n, c, h, w].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="y">Output [n, c] (equivalently [n, c, 1, 1]).</param>
    public static void GlobalAvgForward(ReadOnlySpan<float> x, int n, int c, int h, int w, Span<float> y)
    {
        var g = new ConvGeometry(n, c, h, w, 1, 1, 1, 1, 0, 0);
        ConvGeometry.CheckLength(x.Length, g.InputLength(c), nameof(x));
        ConvGeometry.CheckLength(y.Length, (long)n * c, nameof(y));
        int plane = h * w;
        float inv = 1f / plane;
        for (int p = 0; p < n * c; p++)
        {
            ReadOnlySpan<float> s = x.Slice(p * plane, plane);
            double sum = 0;
            for (int i = 0; i < s.Length; i++)
            {
                sum += s[i];
            }

            y[p] = (float)(sum * inv);
        }
    }

    /// <summary>Global average pooling backward: dx[n, c, :, :] = dy[n, c] / (h*w). Overwrites dx.</summary>
    /// <param name="dy">Output gradient [n, c].</param>
    /// <param name="n">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Input height.</param>
    /// <param name="w">Input width.</param>
    /// <param name="dx">Input gradient [n, c, h, w].</param>
    public static void GlobalAvgBackward(ReadOnlySpan<float> dy, int n, int c, int h, int w, Span<float> dx)
    {
        var g = new ConvGeometry(n, c, h, w, 1, 1, 1, 1, 0, 0);
        ConvGeometry.CheckLength(dy.Length, (long)n * c, nameof(dy));
        ConvGeometry.CheckLength(dx.Length, g.InputLength(c), nameof(dx));
        int plane = h * w;
        float inv = 1f / plane;
        for (int p = 0; p < n * c; p++)
        {
            dx.Slice(p * plane, plane).Fill(dy[p] * inv);
        }
    }

    private static void ForPlanes(int planes, long work, Action<int, int> body)
    {
        int parts = Math.Min(CpuGemm.MaxThreads, planes);
        if (parts <= 1 || work < ParallelThreshold)
        {
            body(0, planes);
            return;
        }

        // Several ranges per worker, claimed as they go: a worker that starts late or is slowed by
        // other load takes fewer.
        WorkQueue.RunRanges(parts, planes, parts * 4, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlane(in ConvGeometry g, float* x, float* y, int* arg, CpuIsa isa)
    {
        if (g.KH == 2 && g.KW == 2 && g.SH == 2 && g.SW == 2 && g.PH == 0 && g.PW == 0)
        {
            switch (isa)
            {
                case CpuIsa.Avx512:
                    MaxPlane2x2Wide(g, x, y, arg);
                    break;
                case CpuIsa.Avx2:
                    MaxPlane2x2Avx2(g, x, y, arg);
                    break;
                default:
                    MaxPlane2x2(g, x, y, arg);
                    break;
            }

            return;
        }

        MaxPlaneGeneral(g, x, y, arg, 0, g.OH);
    }

    // The common 2x2, stride-2 window without padding, branch-free: data-dependent branches
    // mispredict about half the time on real activations, which made this loop ten times slower.
    // Comparisons become 0/1 integers through SIMD compare masks; MathF.Max compiles to maxss.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlane2x2(in ConvGeometry g, float* x, float* y, int* arg)
    {
        int w = g.W, ow = g.OW;
        for (int oy = 0; oy < g.OH; oy++)
        {
            float* r0 = x + 2 * oy * w;
            float* r1 = r0 + w;
            float* yo = y + oy * ow;
            int* ao = arg + oy * ow;
            int rowBase = 2 * oy * w;
            for (int ox = 0; ox < ow; ox++)
            {
                int c0 = 2 * ox;
                float a = r0[c0], b = r0[c0 + 1], c = r1[c0], d = r1[c0 + 1];
                int i1 = Greater(b, a);
                int i2 = Greater(d, c);
                float m1 = MathF.Max(a, b), m2 = MathF.Max(c, d);
                int second = Greater(m2, m1);
                float m = MathF.Max(m1, m2);
                if (float.IsNaN(m))
                {
                    // Rare: the general loop applies its NaN rule to this one window.
                    MaxPlaneGeneral(g, x, y, arg, oy, oy + 1, ox);
                    continue;
                }

                yo[ox] = m;
                ao[ox] = rowBase + c0 + second * (w + i2) + (1 - second) * i1;
            }
        }
    }

    private static readonly Vector512<int> s_lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    private static readonly Vector512<int> s_evenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_oddLanes = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    // The 2x2 window on the AVX-512 path: 16 windows at a time (two masked loads per input row, split
    // into even and odd columns), with the same comparisons as MaxPlane2x2, so values and indices
    // (ties to the first element in row-major order) are the same. A group of 16 windows holding a
    // NaN goes through the scalar rule.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlane2x2Wide(in ConvGeometry g, float* x, float* y, int* arg)
    {
        int w = g.W, ow = g.OW, used = 2 * g.OW;
        var one = Vector512<int>.One;
        for (int oy = 0; oy < g.OH; oy++)
        {
            float* r0 = x + (2 * oy * w);
            float* r1 = r0 + w;
            int rowBase = 2 * oy * w;
            for (int ox0 = 0; ox0 < ow; ox0 += 16)
            {
                int c0 = 2 * ox0;
                var lo = Vector512.LessThan(s_lanes + Vector512.Create(c0), Vector512.Create(used)).AsSingle();
                var hi = Vector512.LessThan(s_lanes + Vector512.Create(c0 + 16), Vector512.Create(used)).AsSingle();
                var a0 = Avx512F.MaskLoad(r0 + c0, lo, Vector512<float>.Zero);
                var a1 = Avx512F.MaskLoad(r0 + c0 + 16, hi, Vector512<float>.Zero);
                var b0 = Avx512F.MaskLoad(r1 + c0, lo, Vector512<float>.Zero);
                var b1 = Avx512F.MaskLoad(r1 + c0 + 16, hi, Vector512<float>.Zero);
                var a = Avx512F.PermuteVar16x32x2(a0, s_evenLanes, a1);
                var b = Avx512F.PermuteVar16x32x2(a0, s_oddLanes, a1);
                var c = Avx512F.PermuteVar16x32x2(b0, s_evenLanes, b1);
                var d = Avx512F.PermuteVar16x32x2(b0, s_oddLanes, b1);
                var ordered = Vector512.Equals(a, a) & Vector512.Equals(b, b) & Vector512.Equals(c, c) & Vector512.Equals(d, d);
                int count = Math.Min(16, ow - ox0);
                if (!Vector512.EqualsAll(ordered.AsInt32() | Vector512.GreaterThanOrEqual(s_lanes, Vector512.Create(count)), Vector512<int>.AllBitsSet))
                {
                    for (int ox = ox0; ox < ox0 + count; ox++)
                    {
                        MaxPlaneGeneral(g, x, y, arg, oy, oy + 1, ox);
                    }

                    continue;
                }

                var i1 = Vector512.GreaterThan(b, a).AsInt32() & one;
                var i2 = Vector512.GreaterThan(d, c).AsInt32() & one;
                var m1 = Avx512F.Max(a, b);
                var m2 = Avx512F.Max(c, d);
                var second = Vector512.GreaterThan(m2, m1).AsInt32();
                var m = Avx512F.Max(m1, m2);
                var idx = Vector512.Create(rowBase + c0) + (s_lanes + s_lanes)
                    + Vector512.ConditionalSelect(second, Vector512.Create(w) + i2, i1);
                var store = Vector512.LessThan(s_lanes, Vector512.Create(count));
                Avx512F.MaskStore(y + (oy * ow) + ox0, store.AsSingle(), m);
                Avx512F.MaskStore(arg + (oy * ow) + ox0, store, idx);
            }
        }
    }

    private static readonly Vector256<int> s_lanes8 = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);

    // The 2x2 window on the AVX2 path: as MaxPlane2x2Wide with 8 windows at a time (the columns split
    // by an in-lane shuffle and a cross-lane permute); masked stores only for a row's last, partial
    // group (they are slow on some processors). Written out per vector width, as the two vector types
    // share no public arithmetic interface.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlane2x2Avx2(in ConvGeometry g, float* x, float* y, int* arg)
    {
        int w = g.W, ow = g.OW, used = 2 * g.OW;
        var one = Vector256<int>.One;
        for (int oy = 0; oy < g.OH; oy++)
        {
            float* r0 = x + (2 * oy * w);
            float* r1 = r0 + w;
            int rowBase = 2 * oy * w;
            for (int ox0 = 0; ox0 < ow; ox0 += 8)
            {
                int c0 = 2 * ox0;
                var lo = Vector256.LessThan(s_lanes8 + Vector256.Create(c0), Vector256.Create(used)).AsSingle();
                var hi = Vector256.LessThan(s_lanes8 + Vector256.Create(c0 + 8), Vector256.Create(used)).AsSingle();
                var a0 = Avx.MaskLoad(r0 + c0, lo);
                var a1 = Avx.MaskLoad(r0 + c0 + 8, hi);
                var b0 = Avx.MaskLoad(r1 + c0, lo);
                var b1 = Avx.MaskLoad(r1 + c0 + 8, hi);
                var a = Simd256.Evens(a0, a1);
                var b = Simd256.Odds(a0, a1);
                var c = Simd256.Evens(b0, b1);
                var d = Simd256.Odds(b0, b1);
                var ordered = Vector256.Equals(a, a) & Vector256.Equals(b, b) & Vector256.Equals(c, c) & Vector256.Equals(d, d);
                int count = Math.Min(8, ow - ox0);
                if (!Vector256.EqualsAll(ordered.AsInt32() | Vector256.GreaterThanOrEqual(s_lanes8, Vector256.Create(count)), Vector256<int>.AllBitsSet))
                {
                    for (int ox = ox0; ox < ox0 + count; ox++)
                    {
                        MaxPlaneGeneral(g, x, y, arg, oy, oy + 1, ox);
                    }

                    continue;
                }

                var i1 = Vector256.GreaterThan(b, a).AsInt32() & one;
                var i2 = Vector256.GreaterThan(d, c).AsInt32() & one;
                var m1 = Avx.Max(a, b);
                var m2 = Avx.Max(c, d);
                var second = Vector256.GreaterThan(m2, m1).AsInt32();
                var m = Avx.Max(m1, m2);
                var idx = Vector256.Create(rowBase + c0) + (s_lanes8 + s_lanes8)
                    + Vector256.ConditionalSelect(second, Vector256.Create(w) + i2, i1);
                float* yo = y + (oy * ow) + ox0;
                int* ao = arg + (oy * ow) + ox0;
                if (count == 8)
                {
                    m.Store(yo);
                    idx.Store(ao);
                }
                else
                {
                    var store = Vector256.LessThan(s_lanes8, Vector256.Create(count));
                    Avx.MaskStore(yo, store.AsSingle(), m);
                    Avx2.MaskStore(ao, store, idx);
                }
            }
        }
    }

    // 1 if x > y else 0, without a branch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Greater(float x, float y) =>
        Vector128.GreaterThan(Vector128.CreateScalarUnsafe(x), Vector128.CreateScalarUnsafe(y)).AsInt32().ToScalar() & 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlaneGeneral(in ConvGeometry g, float* x, float* y, int* arg, int oyStart, int oyEnd, int onlyOx = -1)
    {
        for (int oy = oyStart; oy < oyEnd; oy++)
        {
            int y0 = oy * g.SH - g.PH;
            int ya = Math.Max(0, y0), yb = Math.Min(g.H, y0 + g.KH);
            for (int ox = onlyOx < 0 ? 0 : onlyOx; ox < (onlyOx < 0 ? g.OW : onlyOx + 1); ox++)
            {
                int x0 = ox * g.SW - g.PW;
                int xa = Math.Max(0, x0), xb = Math.Min(g.W, x0 + g.KW);
                float best = float.NegativeInfinity;
                int bestIdx = -1;
                for (int iy = ya; iy < yb; iy++)
                {
                    float* row = x + iy * g.W;
                    for (int ix = xa; ix < xb; ix++)
                    {
                        float v = row[ix];
                        if (v > best || float.IsNaN(v) || bestIdx < 0)
                        {
                            best = v;
                            bestIdx = iy * g.W + ix;
                        }
                    }
                }

                y[oy * g.OW + ox] = best;
                arg[oy * g.OW + ox] = bestIdx;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPlaneBackward(float* dy, int* arg, int outPlane, float* dx, int inPlane)
    {
        new Span<float>(dx, inPlane).Clear();
        for (int o = 0; o < outPlane; o++)
        {
            int a = arg[o];
            if ((uint)a < (uint)inPlane)
            {
                dx[a] += dy[o];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AvgPlane(in ConvGeometry g, float* x, float* y)
    {
        float inv = 1f / (g.KH * g.KW);
        for (int oy = 0; oy < g.OH; oy++)
        {
            int y0 = oy * g.SH - g.PH;
            int ya = Math.Max(0, y0), yb = Math.Min(g.H, y0 + g.KH);
            for (int ox = 0; ox < g.OW; ox++)
            {
                int x0 = ox * g.SW - g.PW;
                int xa = Math.Max(0, x0), xb = Math.Min(g.W, x0 + g.KW);
                float sum = 0f;
                for (int iy = ya; iy < yb; iy++)
                {
                    float* row = x + iy * g.W;
                    for (int ix = xa; ix < xb; ix++)
                    {
                        sum += row[ix];
                    }
                }

                y[oy * g.OW + ox] = sum * inv;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AvgPlaneBackward(in ConvGeometry g, float* dy, float* dx)
    {
        new Span<float>(dx, g.InPlane).Clear();
        float inv = 1f / (g.KH * g.KW);
        for (int oy = 0; oy < g.OH; oy++)
        {
            int y0 = oy * g.SH - g.PH;
            int ya = Math.Max(0, y0), yb = Math.Min(g.H, y0 + g.KH);
            for (int ox = 0; ox < g.OW; ox++)
            {
                int x0 = ox * g.SW - g.PW;
                int xa = Math.Max(0, x0), xb = Math.Min(g.W, x0 + g.KW);
                float v = dy[oy * g.OW + ox] * inv;
                for (int iy = ya; iy < yb; iy++)
                {
                    float* row = dx + iy * g.W;
                    for (int ix = xa; ix < xb; ix++)
                    {
                        row[ix] += v;
                    }
                }
            }
        }
    }
}
