using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>What the training core needs of a run, whatever the task and method.</summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs that train the model (a method may add epochs before them, e.g. LieGAN's discovery).</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds initialisation, shuffling and sampling; all randomness derives from (seed, epoch).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Adam learning rate of the model.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>
    /// Cosine annealing of every scheduled optimizer (the model's and the learned generators') from its base rate
    /// to 0 over the training epochs; discriminators and discovery epochs keep constant rates.
    /// </summary>
    public bool CosineSchedule { get; init; }

    /// <summary>Where every tensor and module lives.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Evaluation batch size.</summary>
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>Progress lines within an epoch (0 for none).</summary>
    public int ProgressLinesPerEpoch { get; init; } = 4;

    /// <summary>Steps between reads of the loss terms from the device (they are summed on the device in between).</summary>
    public int ReadEvery { get; init; } = 16;

    /// <summary>
    /// A run whose task loss, averaged over a read interval, exceeds this factor times its value at the first step
    /// has diverged (0 switches the check off). Non-finite losses and metrics always count as divergence.
    /// </summary>
    public double DivergenceFactor { get; init; } = 1e3;

    /// <summary>
    /// Before every evaluation, recompute the model's batch-norm running statistics as the average over
    /// this many seeded training batches of unaugmented inputs (0: keep the exponential averages that
    /// training left).
    /// </summary>
    public int RecomputeBatchNormBatches { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (RecomputeBatchNormBatches < 0)
        {
            throw new ArgumentException($"Training: the number of batches for recomputing batch-norm statistics must be 0 or more, got {RecomputeBatchNormBatches}.");
        }
        if (Epochs < 1 || BatchSize < 1 || EvalBatchSize < 1 || ProgressLinesPerEpoch < 0 || ReadEvery < 1)
        {
            throw new ArgumentException($"Training: epochs ({Epochs}), batch size ({BatchSize}), evaluation batch size ({EvalBatchSize}) and the read interval ({ReadEvery}) must be positive.");
        }
        if (!(LearningRate > 0f) || float.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"Training: the learning rate must be a positive number, got {LearningRate}.");
        }
        if (!(DivergenceFactor >= 0) || double.IsInfinity(DivergenceFactor) || (DivergenceFactor > 0 && DivergenceFactor <= 1))
        {
            throw new ArgumentException($"Training: the divergence factor must be 0 (off) or a finite number above 1, got {DivergenceFactor}.");
        }
    }
}
