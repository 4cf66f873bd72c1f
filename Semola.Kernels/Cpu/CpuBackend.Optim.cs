using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

public sealed unsafe partial class CpuBackend
{
    /// <summary>Runs body(start, end) over [0, count) in chunks, in parallel when count is large.</summary>
    private static void ForEachChunk(int count, Action<int, int> body) => ParallelRange(count, 1, body);

    /// <inheritdoc />
    public override void AdamStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer m, DeviceBuffer v, int count,
        float lr, float beta1, float beta2, float eps, float weightDecay, int step, bool decoupled)
    {
        const string op = nameof(AdamStep);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        float* pp = Cast(param, op).Pointer + paramOffset;
        float* pg = Cast(grad, op).Pointer + gradOffset;
        float* pm = Cast(m, op).Pointer;
        float* pv = Cast(v, op).Pointer;
        // p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)
        double bc1 = 1.0 - Math.Pow(beta1, step);
        double bc2 = 1.0 - Math.Pow(beta2, step);
        float stepSize = (float)(lr / bc1);
        float invSqrtBc2 = (float)(1.0 / Math.Sqrt(bc2));
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float b1 = beta1, c1 = 1f - beta1, b2 = beta2, c2 = 1f - beta2;
        ForEachChunk(count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            int w = Vector<float>.Count;
            int i = start;
            var vb1 = new Vector<float>(b1);
            var vc1 = new Vector<float>(c1);
            var vb2 = new Vector<float>(b2);
            var vc2 = new Vector<float>(c2);
            var vl2 = new Vector<float>(l2);
            var vdecay = new Vector<float>(decay);
            var vstep = new Vector<float>(stepSize);
            var vinv = new Vector<float>(invSqrtBc2);
            var veps = new Vector<float>(eps);
            for (; i <= end - w; i += w)
            {
                var p = Unsafe.ReadUnaligned<Vector<float>>(pp + i);
                var g = Unsafe.ReadUnaligned<Vector<float>>(pg + i) + vl2 * p;
                var mi = vb1 * Unsafe.ReadUnaligned<Vector<float>>(pm + i) + vc1 * g;
                var vi = vb2 * Unsafe.ReadUnaligned<Vector<float>>(pv + i) + vc2 * g * g;
                mi.Store(pm + i);
                vi.Store(pv + i);
                p = vdecay * p - vstep * mi / (Vector.SquareRoot(vi) * vinv + veps);
                p.Store(pp + i);
            }
            for (; i < end; i++)
            {
                float p = pp[i];
                float g = pg[i] + l2 * p;
                float mi = b1 * pm[i] + c1 * g;
                float vi = b2 * pv[i] + c2 * g * g;
                pm[i] = mi;
                pv[i] = vi;
                pp[i] = decay * p - stepSize * mi / (MathF.Sqrt(vi) * invSqrtBc2 + eps);
            }
        });
    }

    /// <inheritdoc />
    public override void SgdStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer? momentumBuffer, int count,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        const string op = nameof(SgdStep);
        float* pp = Cast(param, op).Pointer + paramOffset;
        float* pg = Cast(grad, op).Pointer + gradOffset;
        bool useMomentum = momentum != 0f;
        if (useMomentum && momentumBuffer is null)
        {
            throw new ArgumentException($"{op}: momentum {momentum} needs a momentum buffer.");
        }
        float* pb = useMomentum ? Cast(momentumBuffer!, op).Pointer : null;
        float keep = firstStep ? 0f : momentum;
        float add = firstStep ? 1f : 1f - dampening;
        ForEachChunk(count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                float p = pp[i];
                float g = pg[i] + weightDecay * p;
                if (useMomentum)
                {
                    float b = keep * pb[i] + add * g;
                    pb[i] = b;
                    g = nesterov ? g + momentum * b : b;
                }
                pp[i] = p - lr * g;
            }
        });
    }

    /// <inheritdoc />
    public override double SumOfSquares(DeviceBuffer x, int offset, int count)
    {
        float* px = Cast(x, nameof(SumOfSquares)).Pointer + offset;
        const int block = 4096;
        double total = 0;
        for (int start = 0; start < count; start += block)
        {
            int len = Math.Min(block, count - start);
            total += SumSquaredDeviationRow(px + start, len, 0f);
        }
        return total;
    }
}
