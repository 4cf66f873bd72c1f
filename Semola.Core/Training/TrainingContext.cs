using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>What the core hands a method at set-up: the task, the options, seeded generators, and module registration.</summary>
public sealed class TrainingContext
{
    private readonly Trainer _trainer;

    internal TrainingContext(Trainer trainer, SymmetryTask task, TrainingOptions options, MethodOptions methods)
    {
        _trainer = trainer;
        Task = task;
        Options = options;
        Methods = methods;
    }

    /// <summary>The task.</summary>
    public SymmetryTask Task { get; }

    /// <summary>The core's options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The methods' options.</summary>
    public MethodOptions Methods { get; }

    /// <summary>The run's device (modules are moved there by <see cref="Register"/>; tensors a method makes go there).</summary>
    public Device Device => Options.Device;

    /// <summary>Where learned generators live: the chosen search space, or the task's default.</summary>
    public SearchSpace Space => Methods.Space is null ? Task.DefaultSpace : SearchSpace.Parse(Methods.Space, Task.GroupDimension);

    /// <summary>A generator for initialising module <paramref name="stream"/> (0: the model), derived from the seed.</summary>
    public Random InitRandom(int stream) => new(Options.Seed + stream);

    /// <summary>A seed for module <paramref name="stream"/>, derived from the run's seed.</summary>
    public int InitSeed(int stream) => Options.Seed + stream;

    /// <summary>
    /// Registers <paramref name="module"/> under <paramref name="name"/> (its checkpoint file name): moves it to the
    /// device, then creates its optimizer with <paramref name="optimizer"/> (Adam at the given rate when null).
    /// <paramref name="scheduled"/> puts the optimizer under the run's learning-rate schedule.
    /// </summary>
    public Optimizer Register(string name, Module module, float learningRate, bool scheduled, Func<Module, float, Optimizer>? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        module.To(Device);
        var opt = optimizer is null ? new Adam(module.Parameters(), learningRate) : optimizer(module, learningRate);
        _trainer.Add(name, module, opt, learningRate, scheduled);
        return opt;
    }
}
