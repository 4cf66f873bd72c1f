using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Fused affine grid generation and bilinear sampling (zero padding, align_corners = true).
/// </summary>
/// <remarks>
/// <para>Images are [B, C, H, W] row-major; theta is [B, 2, 3]; the output has the input's size.</para>
/// <para>Output pixel (i, j) has normalised coordinates x = -1 + 2 j / (W - 1), y = -1 + 2 i / (H - 1)
/// (-1 when the size is 1). It samples the input at x_in = t00 x + t01 y + t02, y_in = t10 x + t11 y + t12,
/// i.e. at pixel coordinates px = (x_in + 1) / 2 * (W - 1), py = (y_in + 1) / 2 * (H - 1), bilinearly;
/// samples outside the image count as zero.</para>
/// <para>Gradients are those of the piecewise-bilinear function; at integer sample positions the derivative
/// with respect to the position is the one-sided derivative of the cell to the right / below. Sample positions
/// that are not finite read as zero and receive no gradient. The output must not overlap the input.</para>
/// </remarks>
public static unsafe class CpuGridSample
{
    /// <summary>Run in parallel over the batch when B * C * H * W reaches this amount.</summary>
    private const long ParallelWork = 1L << 14;

    /// <summary>Resamples every image of the batch through its affine map.</summary>
    /// <param name="image">Input images, [b, c, h, w].</param>
    /// <param name="theta">Affine maps, [b, 2, 3], from output to input normalised coordinates.</param>
    /// <param name="b">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Height.</param>
    /// <param name="w">Width.</param>
    /// <param name="output">Output images, [b, c, h, w]; overwritten.</param>
    public static void Forward(ReadOnlySpan<float> image, ReadOnlySpan<float> theta, int b, int c, int h, int w, Span<float> output)
    {
        long size = CheckSizes(image.Length, theta.Length, b, c, h, w);
        if (output.Length < size)
        {
            throw new ArgumentException($"output holds {output.Length} values, needs {size}.", nameof(output));
        }

        if (size == 0)
        {
            return;
        }

        fixed (float* pi = image)
        fixed (float* pt = theta)
        fixed (float* po = output)
        {
            var job = new Job { Image = pi, Theta = pt, Output = po, C = c, H = h, W = w };
            RunBatches(job, b, (long)c * h * w, forward: true);
        }
    }

    /// <summary>
    /// Gradients of <c>sum(gradOut * Forward(image, theta))</c> with respect to the image and to theta.
    /// Both outputs are overwritten; pass an empty span to skip either.
    /// </summary>
    /// <param name="image">Input images of the forward pass, [b, c, h, w].</param>
    /// <param name="theta">Affine maps of the forward pass, [b, 2, 3].</param>
    /// <param name="gradOut">Upstream gradient with respect to the output, [b, c, h, w].</param>
    /// <param name="b">Batch size.</param>
    /// <param name="c">Channels.</param>
    /// <param name="h">Height.</param>
    /// <param name="w">Width.</param>
    /// <param name="gradImage">Gradient with respect to the image, [b, c, h, w], or empty.</param>
    /// <param name="gradTheta">Gradient with respect to theta, [b, 2, 3], or empty.</param>
    public static void Backward(
        ReadOnlySpan<float> image,
        ReadOnlySpan<float> theta,
        ReadOnlySpan<float> gradOut,
        int b,
        int c,
        int h,
        int w,
        Span<float> gradImage,
        Span<float> gradTheta)
    {
        long size = CheckSizes(image.Length, theta.Length, b, c, h, w);
        if (gradOut.Length < size)
        {
            throw new ArgumentException($"gradOut holds {gradOut.Length} values, needs {size}.", nameof(gradOut));
        }

        bool wantImage = !gradImage.IsEmpty;
        bool wantTheta = !gradTheta.IsEmpty;
        if (wantImage && gradImage.Length < size)
        {
            throw new ArgumentException($"gradImage holds {gradImage.Length} values, needs {size}.", nameof(gradImage));
        }

        if (wantTheta && gradTheta.Length < 6L * b)
        {
            throw new ArgumentException($"gradTheta holds {gradTheta.Length} values, needs {6L * b}.", nameof(gradTheta));
        }

        if (!wantImage && !wantTheta)
        {
            return;
        }

        if (size == 0)
        {
            if (wantTheta)
            {
                gradTheta[..(6 * b)].Clear();
            }

            return;
        }

        fixed (float* pi = image)
        fixed (float* pt = theta)
        fixed (float* pg = gradOut)
        fixed (float* pgi = gradImage)
        fixed (float* pgt = gradTheta)
        {
            var job = new Job
            {
                Image = pi,
                Theta = pt,
                GradOut = pg,
                GradImage = wantImage ? pgi : null,
                GradTheta = wantTheta ? pgt : null,
                C = c,
                H = h,
                W = w,
            };
            RunBatches(job, b, (long)c * h * w, forward: false);
        }
    }

    private static long CheckSizes(int imageLength, int thetaLength, int b, int c, int h, int w)
    {
        if (b < 0 || c < 0 || h < 0 || w < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(b), "Sizes must be non-negative.");
        }

        long size = (long)b * c * h * w;
        if (imageLength < size)
        {
            throw new ArgumentException($"image holds {imageLength} values, needs {size}.", "image");
        }

        if (thetaLength < 6L * b)
        {
            throw new ArgumentException($"theta holds {thetaLength} values, needs {6L * b}.", "theta");
        }

        return size;
    }

    private struct Job
    {
        public float* Image;
        public float* Theta;
        public float* Output;
        public float* GradOut;
        public float* GradImage;
        public float* GradTheta;
        public int C;
        public int H;
        public int W;
    }

    private static void RunBatches(Job job, int b, long perItem, bool forward)
    {
        int workers = Environment.ProcessorCount;
        if (workers > 1 && b > 1 && b * perItem >= ParallelWork)
        {
            int chunks = Math.Min(b, workers);
            WorkQueue.Run(chunks, chunks, (_, ci) =>
            {
                int start = (int)((long)b * ci / chunks);
                int end = (int)((long)b * (ci + 1) / chunks);
                for (int i = start; i < end; i++)
                {
                    if (forward)
                    {
                        ForwardOne(job, i);
                    }
                    else
                    {
                        BackwardOne(job, i);
                    }
                }
            });
        }
        else
        {
            for (int i = 0; i < b; i++)
            {
                if (forward)
                {
                    ForwardOne(job, i);
                }
                else
                {
                    BackwardOne(job, i);
                }
            }
        }
    }

    /// <summary>
    /// Pixel-space form of the affine map: px = ax0 u + ax1 v + ax2, py = ay0 u + ay1 v + ay2 with u = j - cW and
    /// v = i - cH, cW = (W - 1) / 2, cH = (H - 1) / 2. Identity theta gives px = j, py = i exactly.
    /// </summary>
    private readonly struct PixelMap
    {
        public readonly double Ax0, Ax1, Ax2, Ay0, Ay1, Ay2;
        public readonly double Cw, Ch;

        // Derivatives of px (resp. py) with respect to theta row entries: d/dt0 = Rx0 u + Ox0, d/dt1 = Rx1 v + Ox1,
        // d/dt2 = Cw (resp. Ch).
        public readonly double Rxu, Rxv, Ryu, Ryv, Ox, Oy;

        public PixelMap(float* t, int h, int w)
        {
            Cw = (w - 1) * 0.5;
            Ch = (h - 1) * 0.5;
            double ox = w > 1 ? 0.0 : -1.0; // normalised x of a size-1 axis
            double oy = h > 1 ? 0.0 : -1.0;
            Ox = ox;
            Oy = oy;

            // x_norm = u / cW + ox (cW > 0), so cW * x_norm = u * (cW / cW) + cW * ox, and similarly for y.
            Rxu = w > 1 ? 1.0 : 0.0;                // cW * d(x_norm)/du
            Rxv = h > 1 && w > 1 ? Cw / Ch : 0.0;   // cW * d(y_norm)/dv
            Ryu = w > 1 && h > 1 ? Ch / Cw : 0.0;   // cH * d(x_norm)/du
            Ryv = h > 1 ? 1.0 : 0.0;                // cH * d(y_norm)/dv

            double t00 = t[0], t01 = t[1], t02 = t[2], t10 = t[3], t11 = t[4], t12 = t[5];
            Ax0 = t00 * Rxu;
            Ax1 = t01 * Rxv;
            Ax2 = Cw * (t00 * ox + t01 * oy + t02 + 1.0);
            Ay0 = t10 * Ryu;
            Ay1 = t11 * Ryv;
            Ay2 = Ch * (t10 * ox + t11 * oy + t12 + 1.0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardOne(Job job, int bi)
    {
        int c = job.C, h = job.H, w = job.W;
        int plane = h * w;
        var map = new PixelMap(job.Theta + 6L * bi, h, w);
        float* img = job.Image + (long)bi * c * plane;
        float* outp = job.Output + (long)bi * c * plane;
        for (int i = 0; i < h; i++)
        {
            double v = i - map.Ch;
            for (int j = 0; j < w; j++)
            {
                double u = j - map.Cw;
                double px = map.Ax0 * u + map.Ax1 * v + map.Ax2;
                double py = map.Ay0 * u + map.Ay1 * v + map.Ay2;
                int o = i * w + j;
                if (!(px > -1.0 && px < w && py > -1.0 && py < h))
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        outp[ch * plane + o] = 0f;
                    }

                    continue;
                }

                int x0 = (int)Math.Floor(px);
                int y0 = (int)Math.Floor(py);
                float fx = (float)(px - x0);
                float fy = (float)(py - y0);
                float gx = 1f - fx, gy = 1f - fy;
                float w00 = gy * gx, w01 = gy * fx, w10 = fy * gx, w11 = fy * fx;
                int idx = y0 * w + x0;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        float* p = img + ch * plane + idx;
                        outp[ch * plane + o] = w00 * p[0] + w01 * p[1] + w10 * p[w] + w11 * p[w + 1];
                    }
                }
                else
                {
                    bool x0In = x0 >= 0, x1In = x0 + 1 < w, y0In = y0 >= 0, y1In = y0 + 1 < h;
                    if (!(x0In && y0In)) { w00 = 0f; }
                    if (!(x1In && y0In)) { w01 = 0f; }
                    if (!(x0In && y1In)) { w10 = 0f; }
                    if (!(x1In && y1In)) { w11 = 0f; }
                    for (int ch = 0; ch < c; ch++)
                    {
                        float* p = img + ch * plane;
                        float s = 0f;
                        if (w00 != 0f) { s += w00 * p[idx]; }
                        if (w01 != 0f) { s += w01 * p[idx + 1]; }
                        if (w10 != 0f) { s += w10 * p[idx + w]; }
                        if (w11 != 0f) { s += w11 * p[idx + w + 1]; }
                        outp[ch * plane + o] = s;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardOne(Job job, int bi)
    {
        int c = job.C, h = job.H, w = job.W;
        int plane = h * w;
        var map = new PixelMap(job.Theta + 6L * bi, h, w);
        float* img = job.Image + (long)bi * c * plane;
        float* gout = job.GradOut + (long)bi * c * plane;
        float* gimg = job.GradImage == null ? null : job.GradImage + (long)bi * c * plane;
        bool wantTheta = job.GradTheta != null;
        if (gimg != null)
        {
            new Span<float>(gimg, c * plane).Clear();
        }

        // Sums of dL/dpx and dL/dpy, also weighted by u and v, accumulated in double.
        double sx = 0, sxu = 0, sxv = 0, sy = 0, syu = 0, syv = 0;
        for (int i = 0; i < h; i++)
        {
            double v = i - map.Ch;
            double rowX = 0, rowXu = 0, rowY = 0, rowYu = 0;
            for (int j = 0; j < w; j++)
            {
                double u = j - map.Cw;
                double px = map.Ax0 * u + map.Ax1 * v + map.Ax2;
                double py = map.Ay0 * u + map.Ay1 * v + map.Ay2;
                if (!(px > -1.0 && px < w && py > -1.0 && py < h))
                {
                    continue;
                }

                int o = i * w + j;
                int x0 = (int)Math.Floor(px);
                int y0 = (int)Math.Floor(py);
                float fx = (float)(px - x0);
                float fy = (float)(py - y0);
                float gx = 1f - fx, gy = 1f - fy;
                int idx = y0 * w + x0;
                float dpx = 0f, dpy = 0f;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h)
                {
                    float w00 = gy * gx, w01 = gy * fx, w10 = fy * gx, w11 = fy * fx;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float g = gout[ch * plane + o];
                        if (g == 0f)
                        {
                            continue;
                        }

                        int off = ch * plane + idx;
                        if (wantTheta)
                        {
                            float* p = img + off;
                            float v00 = p[0], v01 = p[1], v10 = p[w], v11 = p[w + 1];
                            dpx += g * (gy * (v01 - v00) + fy * (v11 - v10));
                            dpy += g * (gx * (v10 - v00) + fx * (v11 - v01));
                        }

                        if (gimg != null)
                        {
                            float* q = gimg + off;
                            q[0] += g * w00;
                            q[1] += g * w01;
                            q[w] += g * w10;
                            q[w + 1] += g * w11;
                        }
                    }
                }
                else
                {
                    bool x0In = x0 >= 0, x1In = x0 + 1 < w, y0In = y0 >= 0, y1In = y0 + 1 < h;
                    bool in00 = x0In && y0In, in01 = x1In && y0In, in10 = x0In && y1In, in11 = x1In && y1In;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float g = gout[ch * plane + o];
                        if (g == 0f)
                        {
                            continue;
                        }

                        int off = ch * plane + idx;
                        if (wantTheta)
                        {
                            float* p = img + off;
                            float v00 = in00 ? p[0] : 0f;
                            float v01 = in01 ? p[1] : 0f;
                            float v10 = in10 ? p[w] : 0f;
                            float v11 = in11 ? p[w + 1] : 0f;
                            dpx += g * (gy * (v01 - v00) + fy * (v11 - v10));
                            dpy += g * (gx * (v10 - v00) + fx * (v11 - v01));
                        }

                        if (gimg != null)
                        {
                            float* q = gimg + off;
                            if (in00) { q[0] += g * gy * gx; }
                            if (in01) { q[1] += g * gy * fx; }
                            if (in10) { q[w] += g * fy * gx; }
                            if (in11) { q[w + 1] += g * fy * fx; }
                        }
                    }
                }

                rowX += dpx;
                rowXu += dpx * u;
                rowY += dpy;
                rowYu += dpy * u;
            }

            sx += rowX;
            sxu += rowXu;
            sxv += rowX * v;
            sy += rowY;
            syu += rowYu;
            syv += rowY * v;
        }

        if (wantTheta)
        {
            float* gt = job.GradTheta + 6L * bi;
            gt[0] = (float)(map.Rxu * sxu + map.Cw * map.Ox * sx);
            gt[1] = (float)(map.Rxv * sxv + map.Cw * map.Oy * sx);
            gt[2] = (float)(map.Cw * sx);
            gt[3] = (float)(map.Ryu * syu + map.Ch * map.Ox * sy);
            gt[4] = (float)(map.Ryv * syv + map.Ch * map.Oy * sy);
            gt[5] = (float)(map.Ch * sy);
        }
    }
}
