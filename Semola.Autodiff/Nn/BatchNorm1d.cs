namespace Semola.Autodiff.Nn;

/// <summary>
/// Batch normalisation of [N, C] or [N, C, L] activations per feature, with the same statistics,
/// parameters and buffers as <see cref="BatchNorm2d"/> (see <see cref="BatchNorm"/>).
/// </summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> features.</summary>
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}
