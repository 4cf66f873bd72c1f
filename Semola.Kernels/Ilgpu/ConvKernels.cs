using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// im2col / col2im for convolution through GEMM, and the pooling kernels (one thread per output
/// element; the backward passes gather instead of scatter, so they need no atomics).
/// </summary>
internal static class ConvKernels
{
    /// <summary>col [N, C*KH*KW, OH*OW] from x [N, C, H, W]; one thread per col element.</summary>
    public static void Im2Col(Index1D idx, Conv2dGeometry g, ArrayView<float> x, ArrayView<float> col)
    {
        int oh = g.OH, ow = g.OW;
        int ohw = oh * ow;
        int rows = g.C * g.KH * g.KW;
        int i = idx;
        int pos = i % ohw;
        int rest = i / ohw;
        int row = rest % rows;
        int n = rest / rows;
        int q = row % g.KW;
        int p = row / g.KW % g.KH;
        int c = row / (g.KW * g.KH);
        int hi = pos / ow * g.StrideH - g.PadH + p;
        int wi = pos % ow * g.StrideW - g.PadW + q;
        float v = 0f;
        if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
        {
            v = x[((n * g.C + c) * g.H + hi) * g.W + wi];
        }
        col[i] = v;
    }

    /// <summary>dx [N, C, H, W] = sum of the col entries that read each pixel; one thread per pixel.</summary>
    public static void Col2Im(Index1D idx, Conv2dGeometry g, ArrayView<float> col, ArrayView<float> dx)
    {
        int oh = g.OH, ow = g.OW;
        int ohw = oh * ow;
        int rows = g.C * g.KH * g.KW;
        int i = idx;
        int w = i % g.W;
        int h = i / g.W % g.H;
        int c = i / (g.W * g.H) % g.C;
        int n = i / (g.W * g.H * g.C);
        float s = 0f;
        for (int p = 0; p < g.KH; p++)
        {
            int hs = h + g.PadH - p;
            if (hs < 0 || hs % g.StrideH != 0 || hs / g.StrideH >= oh)
            {
                continue;
            }
            int oi = hs / g.StrideH;
            for (int q = 0; q < g.KW; q++)
            {
                int ws = w + g.PadW - q;
                if (ws < 0 || ws % g.StrideW != 0 || ws / g.StrideW >= ow)
                {
                    continue;
                }
                int oj = ws / g.StrideW;
                int row = (c * g.KH + p) * g.KW + q;
                s += col[((long)n * rows + row) * ohw + oi * ow + oj];
            }
        }
        dx[i] = s;
    }

    public static void MaxPoolForward(Index1D idx, Conv2dGeometry g, ArrayView<float> x, ArrayView<float> y)
    {
        int oh = g.OH, ow = g.OW;
        int i = idx;
        int j = i % ow;
        int r = i / ow % oh;
        int nc = i / (ow * oh);
        float m = float.NegativeInfinity;
        for (int p = 0; p < g.KH; p++)
        {
            for (int q = 0; q < g.KW; q++)
            {
                int hi = r * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    float v = x[(nc * g.H + hi) * g.W + wi];
                    m = v > m ? v : m;
                }
            }
        }
        y[i] = m;
    }

    /// <summary>dx at one pixel: the dy of every window whose first maximum is this pixel.</summary>
    public static void MaxPoolBackward(Index1D idx, Conv2dGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        int oh = g.OH, ow = g.OW;
        int i = idx;
        int w = i % g.W;
        int h = i / g.W % g.H;
        int nc = i / (g.W * g.H);
        float s = 0f;
        for (int p = 0; p < g.KH; p++)
        {
            int hs = h + g.PadH - p;
            if (hs < 0 || hs % g.StrideH != 0 || hs / g.StrideH >= oh)
            {
                continue;
            }
            int oi = hs / g.StrideH;
            for (int q = 0; q < g.KW; q++)
            {
                int ws = w + g.PadW - q;
                if (ws < 0 || ws % g.StrideW != 0 || ws / g.StrideW >= ow)
                {
                    continue;
                }
                int oj = ws / g.StrideW;
                if (ArgMaxOfWindow(g, x, nc, oi, oj) == i)
                {
                    s += dy[(nc * oh + oi) * ow + oj];
                }
            }
        }
        dx[i] = s;
    }

    private static int ArgMaxOfWindow(Conv2dGeometry g, ArrayView<float> x, int nc, int oi, int oj)
    {
        float m = float.NegativeInfinity;
        int arg = -1;
        for (int p = 0; p < g.KH; p++)
        {
            for (int q = 0; q < g.KW; q++)
            {
                int hi = oi * g.StrideH - g.PadH + p, wi = oj * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    int k = (nc * g.H + hi) * g.W + wi;
                    if (x[k] > m)
                    {
                        m = x[k];
                        arg = k;
                    }
                }
            }
        }
        return arg;
    }

    public static void AvgPoolForward(Index1D idx, Conv2dGeometry g, ArrayView<float> x, ArrayView<float> y)
    {
        int oh = g.OH, ow = g.OW;
        int i = idx;
        int j = i % ow;
        int r = i / ow % oh;
        int nc = i / (ow * oh);
        float s = 0f;
        for (int p = 0; p < g.KH; p++)
        {
            for (int q = 0; q < g.KW; q++)
            {
                int hi = r * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    s += x[(nc * g.H + hi) * g.W + wi];
                }
            }
        }
        y[i] = s * (1f / (g.KH * g.KW));
    }

    public static void AvgPoolBackward(Index1D idx, Conv2dGeometry g, ArrayView<float> dy, ArrayView<float> dx)
    {
        int oh = g.OH, ow = g.OW;
        int i = idx;
        int w = i % g.W;
        int h = i / g.W % g.H;
        int nc = i / (g.W * g.H);
        float s = 0f;
        for (int p = 0; p < g.KH; p++)
        {
            int hs = h + g.PadH - p;
            if (hs < 0 || hs % g.StrideH != 0 || hs / g.StrideH >= oh)
            {
                continue;
            }
            int oi = hs / g.StrideH;
            for (int q = 0; q < g.KW; q++)
            {
                int ws = w + g.PadW - q;
                if (ws < 0 || ws % g.StrideW != 0 || ws / g.StrideW >= ow)
                {
                    continue;
                }
                s += dy[(nc * oh + oi) * ow + ws / g.StrideW];
            }
        }
        dx[i] = s * (1f / (g.KH * g.KW));
    }
}
