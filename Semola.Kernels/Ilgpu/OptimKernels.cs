using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>Fused optimizer updates: one thread per parameter, moments updated in place.</summary>
internal static class OptimKernels
{
    public static void Adam(Index1D i, ArrayView<float> param, int paramOffset, ArrayView<float> grad, int gradOffset, ArrayView<float> m, ArrayView<float> v, AdamParams a)
    {
        float p = param[paramOffset + i];
        float g = grad[gradOffset + i] + a.L2 * p;
        float mi = a.Beta1 * m[i] + (1f - a.Beta1) * g;
        float vi = a.Beta2 * v[i] + (1f - a.Beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[paramOffset + i] = a.Decay * p - a.StepSize * mi / (MathF.Sqrt(vi) * a.InvSqrtBc2 + a.Eps);
    }

    public static void Sgd(Index1D i, ArrayView<float> param, int paramOffset, ArrayView<float> grad, int gradOffset, ArrayView<float> buf, SgdParams s)
    {
        float p = param[paramOffset + i];
        float g = grad[gradOffset + i] + s.WeightDecay * p;
        if (s.UseMomentum != 0)
        {
            float b = s.Keep * buf[i] + s.Add * g;
            buf[i] = b;
            g = s.Nesterov != 0 ? g + s.Momentum * b : b;
        }
        param[paramOffset + i] = p - s.Lr * g;
    }
}
