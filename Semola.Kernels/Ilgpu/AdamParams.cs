namespace Semola.Kernels.Ilgpu;

/// <summary>Scalar arguments of the fused Adam step (bias corrections folded in on the host).</summary>
internal struct AdamParams
{
    public float Beta1, Beta2, Eps, L2, Decay, StepSize, InvSqrtBc2;
}
