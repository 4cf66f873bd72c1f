namespace Semola.Kernels.Cpu;

/// <summary>Placeholder pooling (replaced by the tuned kernels).</summary>
public static class CpuPool2d
{
    /// <summary>Max pooling forward.</summary>
    public static void MaxForward(in Conv2dGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        int oh = g.OH, ow = g.OW;
        for (int nc = 0; nc < g.N * g.C; nc++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float m = float.NegativeInfinity;
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    m = MathF.Max(m, x[(nc * g.H + hi) * g.W + wi]);
                }
            }
            y[(nc * oh + i) * ow + j] = m;
        }
    }

    /// <summary>Max pooling backward (first maximum of each window).</summary>
    public static void MaxBackward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        dx.Slice(0, g.N * g.C * g.H * g.W).Clear();
        int oh = g.OH, ow = g.OW;
        for (int nc = 0; nc < g.N * g.C; nc++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float m = float.NegativeInfinity;
            int arg = -1;
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W && x[(nc * g.H + hi) * g.W + wi] > m)
                {
                    m = x[(nc * g.H + hi) * g.W + wi];
                    arg = (nc * g.H + hi) * g.W + wi;
                }
            }
            if (arg >= 0)
            {
                dx[arg] += dy[(nc * oh + i) * ow + j];
            }
        }
    }

    /// <summary>Average pooling forward (zero padding counted).</summary>
    public static void AvgForward(in Conv2dGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        int oh = g.OH, ow = g.OW;
        float inv = 1f / (g.KH * g.KW);
        for (int nc = 0; nc < g.N * g.C; nc++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float s = 0;
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    s += x[(nc * g.H + hi) * g.W + wi];
                }
            }
            y[(nc * oh + i) * ow + j] = s * inv;
        }
    }

    /// <summary>Average pooling backward.</summary>
    public static void AvgBackward(in Conv2dGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        dx.Slice(0, g.N * g.C * g.H * g.W).Clear();
        int oh = g.OH, ow = g.OW;
        float inv = 1f / (g.KH * g.KW);
        for (int nc = 0; nc < g.N * g.C; nc++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            float gy = dy[(nc * oh + i) * ow + j] * inv;
            for (int p = 0; p < g.KH; p++)
            for (int q = 0; q < g.KW; q++)
            {
                int hi = i * g.StrideH - g.PadH + p, wi = j * g.StrideW - g.PadW + q;
                if (hi >= 0 && hi < g.H && wi >= 0 && wi < g.W)
                {
                    dx[(nc * g.H + hi) * g.W + wi] += gy;
                }
            }
        }
    }
}
