using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>Validated shape of a 2-D convolution or pooling window over an NCHW tensor.</summary>
internal readonly struct ConvGeometry
{
    public readonly int N, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW;

    public ConvGeometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kw);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sw);
        ArgumentOutOfRangeException.ThrowIfNegative(ph);
        ArgumentOutOfRangeException.ThrowIfNegative(pw);
        N = n; C = c; H = h; W = w; KH = kh; KW = kw; SH = sh; SW = sw; PH = ph; PW = pw;
        OH = OutputSize(h, kh, sh, ph);
        OW = OutputSize(w, kw, sw, pw);
        if (OH <= 0 || OW <= 0)
        {
            throw new ArgumentException($"Window {kh}x{kw} with padding ({ph},{pw}) does not fit the {h}x{w} input.");
        }
    }

    /// <summary>The same geometry with <paramref name="c"/> input channels.</summary>
    public ConvGeometry WithChannels(int c) => new(N, c, H, W, KH, KW, SH, SW, PH, PW);

    public static int OutputSize(int input, int kernel, int stride, int pad)
    {
        int span = input + 2 * pad - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    public int InPlane => H * W;

    public int OutPlane => OH * OW;

    public long InputLength(int channels) => (long)N * channels * H * W;

    public long OutputLength(int channels) => (long)N * channels * OH * OW;

    /// <summary>Output columns [start, end) whose input column ox*SW - PW + kj lies inside [0, W).</summary>
    public void ValidRangeW(int kj, out int start, out int end) => ValidRange(kj, SW, PW, W, OW, out start, out end);

    /// <summary>Output rows [start, end) whose input row oy*SH - PH + ki lies inside [0, H).</summary>
    public void ValidRangeH(int ki, out int start, out int end) => ValidRange(ki, SH, PH, H, OH, out start, out end);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidRange(int kOffset, int stride, int pad, int input, int output, out int start, out int end)
    {
        int lo = pad - kOffset;
        start = lo <= 0 ? 0 : (lo + stride - 1) / stride;
        int hi = input - 1 + pad - kOffset;
        end = hi < 0 ? 0 : Math.Min(output, hi / stride + 1);
        if (end < start)
        {
            end = start;
        }
    }

    public static void CheckLength(int length, long need, string name)
    {
        if (length < need)
        {
            throw new ArgumentException($"Buffer is too small: {need} elements required, {length} given.", name);
        }
    }
}
