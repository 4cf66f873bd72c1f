using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Method;

namespace Semola.Core.Training;

/// <summary>What <see cref="TrainerCheckpoint"/> saves and restores of a trainer whose epochs produce <typeparamref name="TRecord"/>s.</summary>
public interface ICheckpointedTrainer<TRecord>
{
    /// <summary>The training method's name (a checkpoint of another method is refused).</summary>
    string MethodName { get; }

    /// <summary>The run's seed (a checkpoint of another seed is refused).</summary>
    int Seed { get; }

    /// <summary>The base model.</summary>
    Module Model { get; }

    /// <summary>The base model's optimizer.</summary>
    Adam ModelOptimizer { get; }

    /// <summary>The augmenter, where the method has one.</summary>
    LieAugmenter? Augmenter { get; }

    /// <summary>The augmenter's optimizer.</summary>
    Adam? AugmenterOptimizer { get; }

    /// <summary>The discriminator, where the method has one.</summary>
    Discriminator? Discriminator { get; }

    /// <summary>Completed epochs.</summary>
    IReadOnlyList<TRecord> History { get; }

    /// <summary>Optimizer steps taken.</summary>
    long Steps { get; }

    /// <summary>Restores the history and step count after the tensors are loaded.</summary>
    void RestoreHistory(IEnumerable<TRecord> history, long steps);
}
