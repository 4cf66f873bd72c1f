using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>nbody</c> verb: symmetry discovery on N-body trajectories (docs/nbody.md).</summary>
[Verb("nbody", HelpText = "N-body dynamics: predict the next states of 2 or 3 gravitating bodies with SEMoLA or a baseline; measure test MSE, equivariance error and the discovered generator.")]
public sealed class NBodyOptions : ExperimentOptions
{
    /// <summary>Split.</summary>
    [Option("variant", Default = "ood", HelpText = "ood (train on body 1's initial angle in (-180, 0.6] degrees, test on the rest) or id (random split).")]
    public string Variant { get; set; } = "ood";

    /// <summary>Bodies.</summary>
    [Option("bodies", Default = 2, HelpText = "Number of bodies of the generated data: 2 (LieGAN's set) or 3 (equilateral triangle).")]
    public int Bodies { get; set; } = 2;

    /// <summary>Training trajectories.</summary>
    [Option("train-size", Default = 814, HelpText = "Generated training trajectories (--val-fraction of them validate).")]
    public int TrainSize { get; set; } = 814;

    /// <summary>Test trajectories.</summary>
    [Option("test-size", Default = 790, HelpText = "Generated test trajectories.")]
    public int TestSize { get; set; } = 790;

    /// <summary>States per generated trajectory.</summary>
    [Option("steps", Default = 20, HelpText = "States per generated trajectory.")]
    public int Steps { get; set; } = 20;

    /// <summary>Time step.</summary>
    [Option("dt", Default = 20.0 / 49.0, HelpText = "Time between states of generated trajectories.")]
    public double Dt { get; set; } = 20.0 / 49.0;

    /// <summary>Input window.</summary>
    [Option("input-steps", Default = 1, HelpText = "States the model sees.")]
    public int InputSteps { get; set; } = 1;

    /// <summary>Output window.</summary>
    [Option("output-steps", Default = 1, HelpText = "Following states the model predicts.")]
    public int OutputSteps { get; set; } = 1;

    /// <summary>User trajectories.</summary>
    [Option("data", HelpText = "Trajectories to use instead of generated ones: .csv (rows trajectory,step,values) or .npy ([N, T, D] float32/float64), optionally .gz; split by --variant.")]
    public string? Data { get; set; }

    /// <summary>Train fraction of the id split of user data.</summary>
    [Option("train-fraction", Default = 0.5, HelpText = "Fraction of --data trajectories that train in the id split.")]
    public double TrainFraction { get; set; } = 0.5;

    /// <summary>Hidden width.</summary>
    [Option("hidden", Default = 512, HelpText = "Width of the MLP's two hidden layers.")]
    public int Hidden { get; set; } = 512;

    /// <inheritdoc />
    public override string Experiment => "nbody";

    /// <summary>
    /// The N-body recipe (docs/nbody.md): 20 epochs with a cosine schedule, extent reward 0.1, no L1 sparsity, the
    /// discriminator judging a probe extent of 2 at learning rate 1e-3; small MLPs run best on the CPU.
    /// </summary>
    public override void ApplyDefaults() => ApplyRegressionDefaults(20);
}
