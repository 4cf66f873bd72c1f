namespace Semola.Autodiff.Nn;

/// <summary>
/// <see cref="BatchNorm2d"/> followed by ReLU as one layer, using the fused
/// <see cref="Tensor.BatchNormRelu"/> op. Its parameters and buffers ("weight", "bias",
/// "running_mean", "running_var") are those of <see cref="BatchNorm2d"/>, so a network that
/// replaces a batch norm + ReLU pair with it keeps its parameter names and loads the same checkpoints.
/// </summary>
public sealed class BatchNormReLU2d : BatchNorm
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNormReLU2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank == 4;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): input {input.ShapeString} has the wrong rank or channel count.");
        }
        return input.BatchNormRelu(Weight, Bias, RunningMean, RunningVar, IsTraining, Momentum, Eps);
    }
}
