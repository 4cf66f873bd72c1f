namespace Semola.Autodiff.Nn;

/// <summary>
/// A fully connected layer: y = x W^T + b for x [..., in], W [out, in], b [out]. The weight starts
/// Kaiming-uniform (ReLU gain), the bias uniform in +-1/sqrt(in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with seeded initial weights.</summary>
    public Linear(int inFeatures, int outFeatures, Random rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.KaimingUniform([outFeatures, inFeatures], rng));
        if (bias)
        {
            Bias = RegisterParameter("bias", Init.Uniform([outFeatures], 1f / MathF.Sqrt(inFeatures), rng));
        }
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures} -> {OutFeatures}): input {input.ShapeString} does not end in {InFeatures}.");
        }
        var x = input.Rank == 1 ? input.Reshape(1, InFeatures) : input;
        var y = x.MatMul(Weight.Transpose());
        if (Bias is not null)
        {
            y = y.Add(Bias);
        }
        return input.Rank == 1 ? y.Reshape(OutFeatures) : y;
    }

    /// <inheritdoc />
    public override string ToString() => $"Linear({InFeatures} -> {OutFeatures}{(Bias is null ? ", no bias" : string.Empty)})";
}
