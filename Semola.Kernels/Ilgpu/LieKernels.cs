using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Batched matrix exponential (one thread per matrix, in double) and fused affine grid sampling.
/// </summary>
/// <remarks>
/// <para>The exponential scales X by 2^-s until its 1-norm is at most 1/2, sums the Taylor series to
/// degree 18 (truncation below 1e-22 relative) and squares s times, in a per-matrix double workspace.</para>
/// <para>The backward uses the block identity exp([[X, E], [0, X]]) = [[exp X, L(X, E)], [0, exp X]]
/// with X = A^T and E = G / |G| (rescaled afterwards), so it needs only the forward algorithm on 2n x 2n.</para>
/// </remarks>
internal static class LieKernels
{
    /// <summary>Taylor degree of the scaled exponential.</summary>
    public const int TaylorDegree = 18;

    /// <summary>Doubles of workspace per matrix of order m: four m x m blocks.</summary>
    public static int Workspace(int m) => 4 * m * m;

    public static void MatrixExp(Index1D bi, ArrayView<float> a, ArrayView<float> g, int n, int backward, ArrayView<double> ws, ArrayView<float> output)
    {
        int m = backward != 0 ? 2 * n : n;
        int mm = m * m;
        int b = bi;
        long x0 = (long)b * 4 * mm;
        long r0 = x0 + mm, t0 = r0 + mm, u0 = t0 + mm;
        long ab = (long)b * n * n;
        double gnorm = 1.0;
        if (backward != 0)
        {
            gnorm = 0.0;
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += Math.Abs(g[ab + i * n + j]);
                }
                gnorm = s > gnorm ? s : gnorm;
            }
            if (!(gnorm > 0.0))
            {
                gnorm = 1.0;
            }
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double v = 0;
                if (backward == 0)
                {
                    v = a[ab + i * n + j];
                }
                else if (i < n && j < n)
                {
                    v = a[ab + j * n + i];
                }
                else if (i < n)
                {
                    v = g[ab + i * n + (j - n)] / gnorm;
                }
                else if (j >= n)
                {
                    v = a[ab + (j - n) * n + (i - n)];
                }
                ws[x0 + i * m + j] = v;
            }
        }

        double norm = 0;
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < m; i++)
            {
                s += Math.Abs(ws[x0 + i * m + j]);
            }
            norm = s > norm ? s : norm;
        }
        int squarings = 0;
        double scale = 1.0;
        while (norm > 0.5 && squarings < 1000)
        {
            norm *= 0.5;
            scale *= 0.5;
            squarings++;
        }
        for (int k = 0; k < mm; k++)
        {
            ws[x0 + k] *= scale;
            double id = k % (m + 1) == 0 ? 1.0 : 0.0;
            ws[r0 + k] = id;
            ws[t0 + k] = id;
        }
        for (int d = 1; d <= TaylorDegree; d++)
        {
            MatMul(ws, t0, x0, u0, m);
            double inv = 1.0 / d;
            for (int k = 0; k < mm; k++)
            {
                double tk = ws[u0 + k] * inv;
                ws[t0 + k] = tk;
                ws[r0 + k] += tk;
            }
        }
        for (int s = 0; s < squarings; s++)
        {
            MatMul(ws, r0, r0, u0, m);
            for (int k = 0; k < mm; k++)
            {
                ws[r0 + k] = ws[u0 + k];
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                output[ab + i * n + j] = backward == 0 ? (float)ws[r0 + i * m + j] : (float)(ws[r0 + i * m + n + j] * gnorm);
            }
        }
    }

    /// <summary>ws[c] = ws[a] ws[b] for m x m blocks (c must not alias a or b).</summary>
    private static void MatMul(ArrayView<double> ws, long a, long b, long c, int m)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < m; k++)
                {
                    s += ws[a + i * m + k] * ws[b + k * m + j];
                }
                ws[c + i * m + j] = s;
            }
        }
    }

    /// <summary>Pixel-space affine map of one batch item (see the CPU grid sampler for the derivation).</summary>
    private struct PixelMap
    {
        public double Ax0, Ax1, Ax2, Ay0, Ay1, Ay2, Cw, Ch, Rxu, Rxv, Ryu, Ryv, Ox, Oy;

        public static PixelMap Create(ArrayView<float> theta, int bi, int h, int w)
        {
            var p = default(PixelMap);
            p.Cw = (w - 1) * 0.5;
            p.Ch = (h - 1) * 0.5;
            p.Ox = w > 1 ? 0.0 : -1.0;
            p.Oy = h > 1 ? 0.0 : -1.0;
            p.Rxu = w > 1 ? 1.0 : 0.0;
            p.Rxv = h > 1 && w > 1 ? p.Cw / p.Ch : 0.0;
            p.Ryu = w > 1 && h > 1 ? p.Ch / p.Cw : 0.0;
            p.Ryv = h > 1 ? 1.0 : 0.0;
            long t = 6L * (int)bi;
            double t00 = theta[t], t01 = theta[t + 1], t02 = theta[t + 2], t10 = theta[t + 3], t11 = theta[t + 4], t12 = theta[t + 5];
            p.Ax0 = t00 * p.Rxu;
            p.Ax1 = t01 * p.Rxv;
            p.Ax2 = p.Cw * (t00 * p.Ox + t01 * p.Oy + t02 + 1.0);
            p.Ay0 = t10 * p.Ryu;
            p.Ay1 = t11 * p.Ryv;
            p.Ay2 = p.Ch * (t10 * p.Ox + t11 * p.Oy + t12 + 1.0);
            return p;
        }
    }

    /// <summary>One thread per output pixel (all channels).</summary>
    public static void GridSample(Index1D idx, ArrayView<float> image, ArrayView<float> theta, int c, int h, int w, ArrayView<float> output)
    {
        int plane = h * w;
        int bi = idx / plane, o = idx % plane;
        int i = o / w, j = o % w;
        var map = PixelMap.Create(theta, bi, h, w);
        double u = j - map.Cw, v = i - map.Ch;
        double px = map.Ax0 * u + map.Ax1 * v + map.Ax2;
        double py = map.Ay0 * u + map.Ay1 * v + map.Ay2;
        long imgBase = (long)bi * c * plane;
        if (!(px > -1.0 && px < w && py > -1.0 && py < h))
        {
            for (int ch = 0; ch < c; ch++)
            {
                output[imgBase + ch * plane + o] = 0f;
            }
            return;
        }
        int x0 = (int)Math.Floor(px);
        int y0 = (int)Math.Floor(py);
        float fx = (float)(px - x0), fy = (float)(py - y0);
        float gx = 1f - fx, gy = 1f - fy;
        bool x0In = x0 >= 0, x1In = x0 + 1 < w, y0In = y0 >= 0, y1In = y0 + 1 < h;
        float w00 = x0In && y0In ? gy * gx : 0f;
        float w01 = x1In && y0In ? gy * fx : 0f;
        float w10 = x0In && y1In ? fy * gx : 0f;
        float w11 = x1In && y1In ? fy * fx : 0f;
        int idx00 = y0 * w + x0;
        for (int ch = 0; ch < c; ch++)
        {
            long pb = imgBase + ch * plane;
            float s = 0f;
            if (w00 != 0f)
            {
                s += w00 * image[pb + idx00];
            }
            if (w01 != 0f)
            {
                s += w01 * image[pb + idx00 + 1];
            }
            if (w10 != 0f)
            {
                s += w10 * image[pb + idx00 + w];
            }
            if (w11 != 0f)
            {
                s += w11 * image[pb + idx00 + w + 1];
            }
            output[imgBase + ch * plane + o] = s;
        }
    }

    /// <summary>
    /// One thread per output pixel: scatters the image gradient with atomic adds (gradImage zeroed
    /// beforehand) and writes the pixel's dL/dpx, dL/dpy to <paramref name="dpos"/> for the theta pass.
    /// </summary>
    public static void GridSampleBackward(Index1D idx, ArrayView<float> image, ArrayView<float> theta, ArrayView<float> gradOut, int c, int h, int w,
        int wantImage, ArrayView<float> gradImage, int wantTheta, ArrayView<float> dpos)
    {
        int plane = h * w;
        int bi = idx / plane, o = idx % plane;
        int i = o / w, j = o % w;
        var map = PixelMap.Create(theta, bi, h, w);
        double u = j - map.Cw, v = i - map.Ch;
        double px = map.Ax0 * u + map.Ax1 * v + map.Ax2;
        double py = map.Ay0 * u + map.Ay1 * v + map.Ay2;
        float dpx = 0f, dpy = 0f;
        if (px > -1.0 && px < w && py > -1.0 && py < h)
        {
            long imgBase = (long)bi * c * plane;
            int x0 = (int)Math.Floor(px);
            int y0 = (int)Math.Floor(py);
            float fx = (float)(px - x0), fy = (float)(py - y0);
            float gx = 1f - fx, gy = 1f - fy;
            bool x0In = x0 >= 0, x1In = x0 + 1 < w, y0In = y0 >= 0, y1In = y0 + 1 < h;
            bool in00 = x0In && y0In, in01 = x1In && y0In, in10 = x0In && y1In, in11 = x1In && y1In;
            int idx00 = y0 * w + x0;
            for (int ch = 0; ch < c; ch++)
            {
                long pb = imgBase + ch * plane;
                float gr = gradOut[pb + o];
                if (gr == 0f)
                {
                    continue;
                }
                if (wantTheta != 0)
                {
                    float v00 = in00 ? image[pb + idx00] : 0f;
                    float v01 = in01 ? image[pb + idx00 + 1] : 0f;
                    float v10 = in10 ? image[pb + idx00 + w] : 0f;
                    float v11 = in11 ? image[pb + idx00 + w + 1] : 0f;
                    dpx += gr * (gy * (v01 - v00) + fy * (v11 - v10));
                    dpy += gr * (gx * (v10 - v00) + fx * (v11 - v01));
                }
                if (wantImage != 0)
                {
                    if (in00)
                    {
                        Atomic.Add(ref gradImage[pb + idx00], gr * gy * gx);
                    }
                    if (in01)
                    {
                        Atomic.Add(ref gradImage[pb + idx00 + 1], gr * gy * fx);
                    }
                    if (in10)
                    {
                        Atomic.Add(ref gradImage[pb + idx00 + w], gr * fy * gx);
                    }
                    if (in11)
                    {
                        Atomic.Add(ref gradImage[pb + idx00 + w + 1], gr * fy * fx);
                    }
                }
            }
        }
        if (wantTheta != 0)
        {
            dpos[2L * (int)idx] = dpx;
            dpos[2L * (int)idx + 1] = dpy;
        }
    }

    /// <summary>
    /// Deterministic image gradient of the affine grid sampling (no atomics, bit-reproducible): one thread
    /// per image element gathers, in row-major order of the output pixels, the bilinear weights of every
    /// output pixel whose sampling position falls within one pixel of it. The candidates are the output
    /// pixels in the bounding box of the preimage of that 2 x 2 pixel square (the whole plane when the
    /// map is near singular); each candidate is tested with the forward pass's own arithmetic, so exactly
    /// the pixels that the scattering form would add are added.
    /// </summary>
    public static void GridSampleImageGrad(Index1D idx, ArrayView<float> theta, ArrayView<float> gradOut, int c, int h, int w, ArrayView<float> gradImage)
    {
        int plane = h * w;
        int q = idx % plane;
        int bc = idx / plane;
        int bi = bc / c;
        int qy = q / w, qx = q % w;
        var map = PixelMap.Create(theta, bi, h, w);
        int jLo = 0, jHi = w - 1, iLo = 0, iHi = h - 1;
        double det = map.Ax0 * map.Ay1 - map.Ax1 * map.Ay0;
        if (Math.Abs(det) > 1e-9)
        {
            double uMin = double.MaxValue, uMax = double.MinValue, vMin = double.MaxValue, vMax = double.MinValue;
            for (int corner = 0; corner < 4; corner++)
            {
                double sx = qx + ((corner & 1) == 0 ? -1.0 : 1.0) - map.Ax2;
                double sy = qy + ((corner & 2) == 0 ? -1.0 : 1.0) - map.Ay2;
                double u = (map.Ay1 * sx - map.Ax1 * sy) / det;
                double v = (map.Ax0 * sy - map.Ay0 * sx) / det;
                uMin = Math.Min(uMin, u);
                uMax = Math.Max(uMax, u);
                vMin = Math.Min(vMin, v);
                vMax = Math.Max(vMax, v);
            }
            // One pixel of margin against rounding; clamp to the plane.
            jLo = (int)Math.Max(0.0, Math.Floor(uMin + map.Cw) - 1.0);
            jHi = (int)Math.Min(w - 1.0, Math.Ceiling(uMax + map.Cw) + 1.0);
            iLo = (int)Math.Max(0.0, Math.Floor(vMin + map.Ch) - 1.0);
            iHi = (int)Math.Min(h - 1.0, Math.Ceiling(vMax + map.Ch) + 1.0);
        }
        long pb = (long)bc * plane;
        float acc = 0f;
        for (int i = iLo; i <= iHi; i++)
        {
            for (int j = jLo; j <= jHi; j++)
            {
                double u = j - map.Cw, v = i - map.Ch;
                double px = map.Ax0 * u + map.Ax1 * v + map.Ax2;
                double py = map.Ay0 * u + map.Ay1 * v + map.Ay2;
                if (!(px > -1.0 && px < w && py > -1.0 && py < h))
                {
                    continue;
                }
                int x0 = (int)Math.Floor(px);
                int y0 = (int)Math.Floor(py);
                int dxc = qx - x0, dyc = qy - y0;
                if (dxc < 0 || dxc > 1 || dyc < 0 || dyc > 1)
                {
                    continue;
                }
                float fx = (float)(px - x0), fy = (float)(py - y0);
                float gr = gradOut[pb + i * w + j];
                acc += gr * (dyc == 0 ? 1f - fy : fy) * (dxc == 0 ? 1f - fx : fx);
            }
        }
        gradImage[idx] = acc;
    }

    /// <summary>One thread per batch item: theta gradient from the per-pixel position gradients (sums in double).</summary>
    public static void GridSampleThetaGrad(Index1D bi, ArrayView<float> theta, ArrayView<float> dpos, int h, int w, ArrayView<float> gradTheta)
    {
        var map = PixelMap.Create(theta, bi, h, w);
        int plane = h * w;
        double sx = 0, sxu = 0, sxv = 0, sy = 0, syu = 0, syv = 0;
        for (int o = 0; o < plane; o++)
        {
            double u = o % w - map.Cw, v = o / w - map.Ch;
            double dx = dpos[2L * ((long)(int)bi * plane + o)];
            double dy = dpos[2L * ((long)(int)bi * plane + o) + 1];
            sx += dx;
            sxu += dx * u;
            sxv += dx * v;
            sy += dy;
            syu += dy * u;
            syv += dy * v;
        }
        long t = 6L * (int)bi;
        gradTheta[t] = (float)(map.Rxu * sxu + map.Cw * map.Ox * sx);
        gradTheta[t + 1] = (float)(map.Rxv * sxv + map.Cw * map.Oy * sx);
        gradTheta[t + 2] = (float)(map.Cw * sx);
        gradTheta[t + 3] = (float)(map.Ryu * syu + map.Ch * map.Ox * sy);
        gradTheta[t + 4] = (float)(map.Ryv * syv + map.Ch * map.Oy * sy);
        gradTheta[t + 5] = (float)(map.Ch * sy);
    }
}
