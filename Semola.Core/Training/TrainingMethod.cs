using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Lie;
using Semola.Core.Method;

namespace Semola.Core.Training;

/// <summary>
/// How one training step turns a batch into losses and updates (base, gt-aug, semola, augerino, augerino-plus,
/// liegan, equivariant). A method works with any <see cref="SymmetryTask"/>: it creates its modules in
/// <see cref="Setup"/> and registers each with the core, which places it on the device, gives it its optimizer
/// and checkpoints it; it never touches files, seeds or devices except through what the core hands it.
/// </summary>
public abstract class TrainingMethod
{
    /// <summary>The method's name on the command line (e.g. "gt-aug").</summary>
    public abstract string Name { get; }

    /// <summary>The predictor f (set in <see cref="Setup"/>).</summary>
    public Module Model { get; protected set; } = null!;

    /// <summary>The learned Lie algebra basis, where the method learns one (for the generator metrics and results).</summary>
    public virtual LieAugmenter? Augmenter => null;

    /// <summary>Epochs before the model's training epochs in which only the method's discovery runs (LieGAN).</summary>
    public virtual int DiscoveryEpochs => 0;

    /// <summary>Whether <see cref="SampleForTestTime"/> gives group elements (what --tta needs).</summary>
    public virtual bool HasTestTimeSampler => false;

    /// <summary>Creates the modules and registers them with <paramref name="context"/>.</summary>
    public abstract void Setup(TrainingContext context);

    /// <summary>One optimisation step of the training epochs; returns the loss terms as scalar tensors ("total" first).</summary>
    public abstract IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step);

    /// <summary>One step of a discovery epoch (only methods with <see cref="DiscoveryEpochs"/> &gt; 0).</summary>
    public virtual IReadOnlyDictionary<string, Tensor> DiscoveryStep(Batch batch, StepContext step) =>
        throw new NotSupportedException($"{Name} has no discovery phase.");

    /// <summary>Called before each epoch with a seed derived from (run seed, epoch), so a resumed run samples as the uninterrupted one.</summary>
    public virtual void OnEpochStart(int samplingSeed) => Augmenter?.Reseed(samplingSeed);

    /// <summary>The half-widths the method currently samples with (reported per epoch; empty where it has none).</summary>
    public virtual IReadOnlyList<float> Extents() => Augmenter?.ExtentValues() ?? [];

    /// <summary>Group elements for test-time averaging, drawn from the method's augmentation distribution.</summary>
    public virtual GroupSample SampleForTestTime(int count, Random rng) =>
        throw new NotSupportedException($"{Name} does not augment, so it has nothing to average over at test time (--tta).");

    /// <summary>The loss terms of a step that trains the model alone on a loss.</summary>
    protected static Dictionary<string, Tensor> Single(Tensor loss) => new() { ["total"] = loss, ["task"] = loss };
}
