namespace Semola.Autodiff.Nn;

/// <summary>
/// Batch normalisation of [N, C, H, W] activations per channel: batch statistics (biased variance)
/// in training, running statistics (momentum 0.1, unbiased variance) in evaluation, eps 1e-5.
/// </summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank == 4;
}
