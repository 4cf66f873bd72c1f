namespace Semola.Kernels.Ilgpu;

/// <summary>Scalar arguments of the batch-norm kernels; the Has* flags say which optional buffers are real.</summary>
internal struct BatchNormParams
{
    public int N, C, Inner;
    public float Eps, Momentum;
    public int HasGamma, HasBeta, HasRunning;
}
