using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>Settings of <see cref="NBodyTrainer"/>.</summary>
public sealed record NBodyTrainerOptions
{
    /// <summary>How the predictor is trained.</summary>
    public NBodyMethod Method { get; init; } = NBodyMethod.Semola;

    /// <summary>Number of bodies (the state has 4 values per body).</summary>
    public int Bodies { get; init; } = 2;

    /// <summary>Passes over the training windows that train the model (LieGAN adds its discovery epochs).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds initialisation, shuffling and sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Adam learning rate of the base model.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>
    /// Cosine annealing of the model's (and the learned generator's) learning rate from its base value to 0 over
    /// the <see cref="Epochs"/> training epochs (LieGAN's discovery epochs keep a constant rate).
    /// </summary>
    public bool CosineSchedule { get; init; } = true;

    /// <summary>Hidden width of the two hidden layers of the base MLP.</summary>
    public int Hidden { get; init; } = 512;

    /// <summary>SEMoLA's weights (used by <see cref="NBodyMethod.Semola"/>); see <see cref="SemolaDefaults"/>.</summary>
    public SemolaOptions Semola { get; init; } = SemolaDefaults(2);

    /// <summary>Settings of Augerino+ and LieGAN.</summary>
    public NBodyBaselineOptions Baseline { get; init; } = new();

    /// <summary>Where the learned generators may live.</summary>
    public SearchSpace Space { get; init; } = SearchSpace.SharedBlocks2x2(4);

    /// <summary>The symmetry the data really has: rotation of every (x, y) pair, full range (for gt-aug and the metrics).</summary>
    public GroundTruthGroup GroundTruth { get; init; } = new(LieAlgebraBases.NBodyRotation(2), MathF.PI);

    /// <summary>Where the tensors live.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Evaluation batch size.</summary>
    public int EvalBatchSize { get; init; } = 1024;

    /// <summary>Progress lines within an epoch (0 for none).</summary>
    public int ProgressLinesPerEpoch { get; init; }

    /// <summary>Epochs this run takes in all: LieGAN's discovery epochs plus <see cref="Epochs"/>.</summary>
    public int TotalEpochs => Epochs + (Method == NBodyMethod.LieGan ? Baseline.DiscoveryEpochs : 0);

    /// <summary>
    /// The N-body recipe for SEMoLA (docs/nbody.md): the method page's current recipe (discriminator term
    /// lambda_dist 1 with a 256-256 MLP on the flattened (x, y) pair, extent reward lambda_ext 0.1, no L1
    /// sparsity (beta 0), lambda_eq 1, lambda_b 0.01) with three measured changes: the extent cap is a full
    /// turn for this n (a unit-Frobenius-norm direction Lhat = L / ||L|| of the rotation L, norm
    /// sqrt(4 * bodies), turns every pair by e / sqrt(4 * bodies), so the cap is pi * sqrt(4 * bodies), 8.89
    /// for 2 bodies, not the image value pi * sqrt(2)); the discriminator judges a probe extent of 2 (so on the
    /// OOD split, whose angles cover half a turn, it judges the direction without capping the extent); and
    /// its learning rate is 1e-3.
    /// </summary>
    public static SemolaOptions SemolaDefaults(int bodies) => new()
    {
        LambdaEq = 1f,
        LambdaDist = 1f,
        LambdaExt = 0.1f,
        LambdaBasis = 0.01f,
        Beta = 0f,
        ExtentCap = FullTurnExtent(bodies),
        ProbeExtent = 2f,
        DiscriminatorWidth = 256,
        DiscriminatorLearningRate = 1e-3f,
    };

    /// <summary>The half-width of coefficients of a unit-norm rotation direction that gives a full turn: pi * sqrt(4 * bodies).</summary>
    public static float FullTurnExtent(int bodies) => MathF.PI * MathF.Sqrt(4f * bodies);

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1 || ProgressLinesPerEpoch < 0 || Hidden < 1)
        {
            throw new ArgumentException($"Training: epochs ({Epochs}), batch size ({BatchSize}), evaluation batch size ({EvalBatchSize}) and hidden width ({Hidden}) must be positive.");
        }
        if (!(LearningRate > 0f) || float.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"Training: the learning rate must be positive, got {LearningRate}.");
        }
        if (Bodies < 1 || Space.N != 4 * Bodies || GroundTruth.N != 4 * Bodies)
        {
            throw new ArgumentException($"Training: {Bodies} bodies need {4 * Bodies}x{4 * Bodies} generators; the search space is {Space.N}x{Space.N} and the ground truth {GroundTruth.N}x{GroundTruth.N}.");
        }
        Semola.Validate();
        Baseline.Validate();
    }
}
