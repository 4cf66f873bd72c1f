namespace Semola.Kernels.Ilgpu;

/// <summary>Scalar arguments of the fused SGD step.</summary>
internal struct SgdParams
{
    public float Lr, Momentum, WeightDecay, Keep, Add;
    public int UseMomentum, Nesterov;
}
