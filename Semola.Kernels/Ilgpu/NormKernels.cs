using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Batch normalisation over [n, c, inner]: one group per channel computes the statistics with a
/// shared-memory tree (sums in double) and then normalises (or back-propagates through) the channel.
/// </summary>
internal static class NormKernels
{
    private static double GroupSum(double v, ArrayView<double> sh)
    {
        int t = Group.IdxX;
        sh[t] = v;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s)
            {
                sh[t] += sh[t + s];
            }
            Group.Barrier();
        }
        double r = sh[0];
        Group.Barrier();
        return r;
    }

    public static void Forward(ArrayView<float> x, BatchNormParams p, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y,
        ArrayView<float> saveMean, ArrayView<float> saveInvStd, ArrayView<float> runningMean, ArrayView<float> runningVar)
    {
        var sh = SharedMemory.Allocate1D<double>(ReduceKernels.MaxGroup);
        int ch = Grid.IdxX;
        int t = Group.IdxX;
        int size = Group.DimX;
        long count = (long)p.N * p.Inner;
        double s = 0;
        for (long k = t; k < count; k += size)
        {
            long b = k / p.Inner, i = k % p.Inner;
            s += x[(b * p.C + ch) * p.Inner + i];
        }
        double sum = GroupSum(s, sh);
        float mean = count > 0 ? (float)(sum / count) : 0f;
        double q = 0;
        for (long k = t; k < count; k += size)
        {
            long b = k / p.Inner, i = k % p.Inner;
            double d = x[(b * p.C + ch) * p.Inner + i] - mean;
            q += d * d;
        }
        double sq = GroupSum(q, sh);
        double variance = count > 0 ? sq / count : 0;
        float invStd = (float)(1.0 / Math.Sqrt(variance + p.Eps));
        float scale = (p.HasGamma != 0 ? gamma[ch] : 1f) * invStd;
        float shift = (p.HasBeta != 0 ? beta[ch] : 0f) - mean * scale;
        for (long k = t; k < count; k += size)
        {
            long b = k / p.Inner, i = k % p.Inner;
            long o = (b * p.C + ch) * p.Inner + i;
            y[o] = x[o] * scale + shift;
        }
        if (t == 0)
        {
            saveMean[ch] = mean;
            saveInvStd[ch] = invStd;
            if (p.HasRunning != 0)
            {
                double unbiased = count > 1 ? sq / (count - 1) : variance;
                runningMean[ch] = (1f - p.Momentum) * runningMean[ch] + p.Momentum * mean;
                runningVar[ch] = (float)((1.0 - p.Momentum) * runningVar[ch] + p.Momentum * unbiased);
            }
        }
    }

    public static void Backward(ArrayView<float> x, ArrayView<float> dy, BatchNormParams p, ArrayView<float> gamma, ArrayView<float> saveMean, ArrayView<float> saveInvStd,
        ArrayView<float> dx, ArrayView<float> dgamma, ArrayView<float> dbeta)
    {
        var sh = SharedMemory.Allocate1D<double>(ReduceKernels.MaxGroup);
        int ch = Grid.IdxX;
        int t = Group.IdxX;
        int size = Group.DimX;
        long count = (long)p.N * p.Inner;
        float mean = saveMean[ch];
        float invStd = saveInvStd[ch];
        double s1 = 0, s2 = 0;
        for (long k = t; k < count; k += size)
        {
            long b = k / p.Inner, i = k % p.Inner;
            long o = (b * p.C + ch) * p.Inner + i;
            float g = dy[o];
            s1 += g;
            s2 += g * (x[o] - mean);
        }
        double sumDy = GroupSum(s1, sh);
        double sumDyXmu = GroupSum(s2, sh);
        if (t == 0)
        {
            if (p.HasGamma != 0 && dgamma.Length > 0)
            {
                dgamma[ch] = (float)(sumDyXmu * invStd);
            }
            if (p.HasBeta != 0)
            {
                dbeta[ch] = (float)sumDy;
            }
        }
        double gam = p.HasGamma != 0 ? gamma[ch] : 1.0;
        double m = count > 1 ? count : 1;
        float k1 = (float)(gam * invStd);
        float k2 = (float)(-gam * invStd * invStd * invStd * sumDyXmu / m);
        float k3 = (float)(-gam * invStd * sumDy / m);
        for (long k = t; k < count; k += size)
        {
            long b = k / p.Inner, i = k % p.Inner;
            long o = (b * p.C + ch) * p.Inner + i;
            dx[o] = k1 * dy[o] + k2 * (x[o] - mean) + k3;
        }
    }
}
