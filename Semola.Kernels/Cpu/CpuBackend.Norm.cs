using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

public sealed unsafe partial class CpuBackend
{
    /// <summary>Runs body(channel) for every channel, in parallel when the whole tensor is large.</summary>
    private static void ForEachChannel(int c, long total, Action<int> body)
    {
        if (total >= ParallelThreshold && c > 1 && Threads > 1)
        {
            WorkQueue.Run(Threads, c, (_, ch) => body(ch));
        }
        else
        {
            for (int ch = 0; ch < c; ch++)
            {
                body(ch);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumRow(float* x, int len)
    {
        int i = 0;
        int w = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        for (; i <= len - w; i += w)
        {
            acc += Unsafe.ReadUnaligned<Vector<float>>(x + i);
        }
        float s = Vector.Sum(acc);
        for (; i < len; i++)
        {
            s += x[i];
        }
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumSquaredDeviationRow(float* x, int len, float mean)
    {
        int i = 0;
        int w = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        var vm = new Vector<float>(mean);
        for (; i <= len - w; i += w)
        {
            var d = Unsafe.ReadUnaligned<Vector<float>>(x + i) - vm;
            acc += d * d;
        }
        float s = Vector.Sum(acc);
        for (; i < len; i++)
        {
            float d = x[i] - mean;
            s += d * d;
        }
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineRow(float* x, float* y, int len, float scale, float shift)
    {
        int i = 0;
        int w = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        var vb = new Vector<float>(shift);
        for (; i <= len - w; i += w)
        {
            (Unsafe.ReadUnaligned<Vector<float>>(x + i) * vs + vb).Store(y + i);
        }
        for (; i < len; i++)
        {
            y[i] = x[i] * scale + shift;
        }
    }

    // y = max(x * scale + shift, 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineReluRow(float* x, float* y, int len, float scale, float shift)
    {
        int i = 0;
        int w = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        var vb = new Vector<float>(shift);
        for (; i <= len - w; i += w)
        {
            Vector.Max(Unsafe.ReadUnaligned<Vector<float>>(x + i) * vs + vb, Vector<float>.Zero).Store(y + i);
        }
        for (; i < len; i++)
        {
            y[i] = Math.Max(x[i] * scale + shift, 0f);
        }
    }

    /// <inheritdoc />
    public override void BatchNormForward(DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum) =>
        BatchNormForwardCore(nameof(BatchNormForward), false, x, n, c, inner, gamma, beta, eps, y, saveMean, saveInvStd, runningMean, runningVar, momentum);

    /// <summary>Batch norm and ReLU in one pass over the output (see <see cref="Backend.BatchNormReluForward"/>).</summary>
    public override void BatchNormReluForward(DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum) =>
        BatchNormForwardCore(nameof(BatchNormReluForward), true, x, n, c, inner, gamma, beta, eps, y, saveMean, saveInvStd, runningMean, runningVar, momentum);

    private void BatchNormForwardCore(string op, bool relu, DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum)
    {
        float* px = Cast(x, op).Pointer;
        float* py = Cast(y, op).Pointer;
        float* pg = gamma is null ? null : Cast(gamma, op).Pointer;
        float* pb = beta is null ? null : Cast(beta, op).Pointer;
        float* pm = Cast(saveMean, op).Pointer;
        float* ps = Cast(saveInvStd, op).Pointer;
        float* prm = runningMean is null ? null : Cast(runningMean, op).Pointer;
        float* prv = runningVar is null ? null : Cast(runningVar, op).Pointer;
        long count = (long)n * inner;
        ForEachChannel(c, count * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) =>
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
            {
                sum += SumRow(px + ((long)b * c + ch) * inner, inner);
            }
            float mean = count > 0 ? (float)(sum / count) : 0f;
            double sq = 0;
            for (int b = 0; b < n; b++)
            {
                sq += SumSquaredDeviationRow(px + ((long)b * c + ch) * inner, inner, mean);
            }
            double variance = count > 0 ? sq / count : 0;
            float invStd = (float)(1.0 / Math.Sqrt(variance + eps));
            pm[ch] = mean;
            ps[ch] = invStd;
            float scale = (pg is null ? 1f : pg[ch]) * invStd;
            float shift = (pb is null ? 0f : pb[ch]) - mean * scale;
            for (int b = 0; b < n; b++)
            {
                long o = ((long)b * c + ch) * inner;
                if (relu)
                {
                    AffineReluRow(px + o, py + o, inner, scale, shift);
                }
                else
                {
                    AffineRow(px + o, py + o, inner, scale, shift);
                }
            }
            if (prm is not null && prv is not null)
            {
                double unbiased = count > 1 ? sq / (count - 1) : variance;
                prm[ch] = (1f - momentum) * prm[ch] + momentum * mean;
                prv[ch] = (float)((1.0 - momentum) * prv[ch] + momentum * unbiased);
            }
        });
    }

    /// <inheritdoc />
    public override void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta) =>
        BatchNormBackwardCore(nameof(BatchNormBackward), x, null, dy, n, c, inner, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);

    /// <summary>Backward of batch norm + ReLU with the ReLU mask applied on the fly (see <see cref="Backend.BatchNormReluBackward"/>).</summary>
    public override void BatchNormReluBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta) =>
        BatchNormBackwardCore(nameof(BatchNormReluBackward), x, y, dy, n, c, inner, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);

    // Gradient seen by the batch norm: dy, or dy where y > 0 and 0 elsewhere when the output y of a
    // fused ReLU is given.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Masked(float* gr, float* yr, int i) =>
        yr == null
            ? Unsafe.ReadUnaligned<Vector<float>>(gr + i)
            : Vector.ConditionalSelect(Vector.GreaterThan(Unsafe.ReadUnaligned<Vector<float>>(yr + i), Vector<float>.Zero),
                Unsafe.ReadUnaligned<Vector<float>>(gr + i), Vector<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Masked(float* gr, float* yr, long i) => yr == null || yr[i] > 0f ? gr[i] : 0f;

    private void BatchNormBackwardCore(string op, DeviceBuffer x, DeviceBuffer? y, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta)
    {
        float* px = Cast(x, op).Pointer;
        float* pyOut = y is null ? null : Cast(y, op).Pointer;
        float* pdy = Cast(dy, op).Pointer;
        float* pdx = Cast(dx, op).Pointer;
        float* pg = gamma is null ? null : Cast(gamma, op).Pointer;
        float* pm = Cast(saveMean, op).Pointer;
        float* ps = Cast(saveInvStd, op).Pointer;
        float* pdg = dgamma is null ? null : Cast(dgamma, op).Pointer;
        float* pdb = dbeta is null ? null : Cast(dbeta, op).Pointer;
        long count = (long)n * inner;
        int w = Vector<float>.Count;
        ForEachChannel(c, count * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) =>
        {
            float mean = pm[ch];
            float invStd = ps[ch];
            var vm = new Vector<float>(mean);
            double sumDy = 0, sumDyXmu = 0;
            for (int b = 0; b < n; b++)
            {
                long o = ((long)b * c + ch) * inner;
                float* xr = px + o;
                float* gr = pdy + o;
                float* yr = pyOut == null ? null : pyOut + o;
                var a1 = Vector<float>.Zero;
                var a2 = Vector<float>.Zero;
                int i = 0;
                for (; i <= inner - w; i += w)
                {
                    var g = Masked(gr, yr, i);
                    a1 += g;
                    a2 += g * (Unsafe.ReadUnaligned<Vector<float>>(xr + i) - vm);
                }
                float s1 = Vector.Sum(a1), s2 = Vector.Sum(a2);
                for (; i < inner; i++)
                {
                    float g = Masked(gr, yr, (long)i);
                    s1 += g;
                    s2 += g * (xr[i] - mean);
                }
                sumDy += s1;
                sumDyXmu += s2;
            }
            if (pdg is not null)
            {
                pdg[ch] = (float)(sumDyXmu * invStd);
            }
            if (pdb is not null)
            {
                pdb[ch] = (float)sumDy;
            }
            double gam = pg is null ? 1.0 : pg[ch];
            double m = Math.Max(count, 1);
            // dx = k1 * dy + k2 * (x - mean) + k3
            float k1 = (float)(gam * invStd);
            float k2 = (float)(-gam * invStd * invStd * invStd * sumDyXmu / m);
            float k3 = (float)(-gam * invStd * sumDy / m);
            var v1 = new Vector<float>(k1);
            var v2 = new Vector<float>(k2);
            var v3 = new Vector<float>(k3);
            for (int b = 0; b < n; b++)
            {
                long o = ((long)b * c + ch) * inner;
                float* xr = px + o;
                float* gr = pdy + o;
                float* dr = pdx + o;
                float* yr = pyOut == null ? null : pyOut + o;
                int i = 0;
                for (; i <= inner - w; i += w)
                {
                    (v1 * Masked(gr, yr, i) + v2 * (Unsafe.ReadUnaligned<Vector<float>>(xr + i) - vm) + v3).Store(dr + i);
                }
                for (; i < inner; i++)
                {
                    dr[i] = k1 * Masked(gr, yr, (long)i) + k2 * (xr[i] - mean) + k3;
                }
            }
        });
    }
}
