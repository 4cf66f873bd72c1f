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

    // Whether the lowered-into-panels path applies: AVX-512, stride 1 and output width equal to the
    // input width (then output pixel q reads input element q + (ki - PH) * W + (kj - PW)).
    private static bool UsesPanels(CpuIsa isa, in ConvGeometry g) =>
        isa == CpuIsa.Avx512 && IsSameStride1(g) && g.KH * g.KW > 0;

    // Whether the input gradient equals a forward convolution of dy with the flipped, transposed
    // weight under the same geometry (odd kernels, padding (K - 1) / 2, stride 1).
    private static bool InputGradIsConvolution(CpuIsa isa, in ConvGeometry g) =>
        UsesPanels(isa, g) && g.KH == (2 * g.PH) + 1 && g.KW == (2 * g.PW) + 1 && g.OH == g.H;

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

    // weight [cout, c, kh, kw] -> flipped [c, cout, kh, kw] with flipped[ci, co, i, j] = weight[co, ci, kh-1-i, kw-1-j].
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
