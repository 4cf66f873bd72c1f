namespace Semola.Kernels.Cpu;

/// <summary>Placeholder direct convolution (replaced by im2col + GEMM).</summary>
public static class CpuConv2d
{
    /// <summary>Forward.</summary>
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y)
    {
        int oh = g.OH, ow = g.OW;
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.OutC; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double s = 0;
            for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    s += x[((n * g.C + c) * g.H + hi) * g.W + wi] * w[((o * g.C + c) * g.KH + p) * g.KW + q];
                }
            }
            y[((n * g.OutC + o) * oh + i) * ow + j] = (float)s;
        }
    }

    /// <summary>Backward to the input.</summary>
    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        dx.Slice(0, g.N * g.C * g.H * g.W).Clear();
        int oh = g.OH, ow = g.OW;
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.OutC; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float gy = dy[((n * g.OutC + o) * oh + i) * ow + j];
            for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    dx[((n * g.C + c) * g.H + hi) * g.W + wi] += gy * w[((o * g.C + c) * g.KH + p) * g.KW + q];
                }
            }
        }
    }

    /// <summary>Backward to the weight.</summary>
    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
    {
        dw.Slice(0, g.OutC * g.C * g.KH * g.KW).Clear();
        int oh = g.OH, ow = g.OW;
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.OutC; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float gy = dy[((n * g.OutC + o) * oh + i) * ow + j];
            for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    dw[((o * g.C + c) * g.KH + p) * g.KW + q] += gy * x[((n * g.C + c) * g.H + hi) * g.W + wi];
                }
            }
        }
    }
}
