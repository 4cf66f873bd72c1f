using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>Settings of <see cref="ImageSymmetryTrainer"/>.</summary>
public sealed record ImageTrainerOptions
{
    /// <summary>How the classifier is trained.</summary>
    public ImageMethod Method { get; init; } = ImageMethod.Semola;

    /// <summary>Number of passes over the training set.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds initialisation, shuffling and sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Adam learning rate of the base model.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>
    /// Cosine decay of the base model's learning rate to zero over the whole run (the same for every
    /// method); off keeps it constant.
    /// </summary>
    public bool CosineSchedule { get; init; }

    /// <summary>SEMoLA's weights (used by <see cref="ImageMethod.Semola"/>).</summary>
    public SemolaOptions Semola { get; init; } = new();

    /// <summary>Where the generators may live.</summary>
    public SearchSpace Space { get; init; } = SearchSpace.Affine2D();

    /// <summary>The symmetry the data really has (for gt-aug and the metrics).</summary>
    public GroundTruthGroup GroundTruth { get; init; } = new(Lie.LieAlgebraBases.ImageRotation(), MathF.PI);

    /// <summary>Where the tensors live.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Evaluation batch size.</summary>
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>Progress lines within an epoch (0 for none).</summary>
    public int ProgressLinesPerEpoch { get; init; } = 4;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1 || ProgressLinesPerEpoch < 0)
        {
            throw new ArgumentException($"Training: epochs ({Epochs}), batch size ({BatchSize}) and evaluation batch size ({EvalBatchSize}) must be positive.");
        }
        if (!(LearningRate > 0f) || float.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"Training: the learning rate must be positive, got {LearningRate}.");
        }
        if (Space.N != GroundTruth.N)
        {
            throw new ArgumentException($"Training: the search space is {Space.N}x{Space.N} but the ground truth is {GroundTruth.N}x{GroundTruth.N}.");
        }
        Semola.Validate();
    }
}
