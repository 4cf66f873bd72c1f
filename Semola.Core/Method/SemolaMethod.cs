using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// SEMoLA (<c>semola</c>): the base model trained together with a <see cref="LieAugmenter"/> on the
/// <see cref="SemolaObjective"/>, with a discriminator for the distribution term when lambda_dist &gt; 0.
/// </summary>
public sealed class SemolaMethod : AugmentationMethod
{
    private SemolaObjective _objective = null!;
    private LieAugmenter _augmenter = null!;
    private Optimizer _augmenterOptimizer = null!;
    private Discriminator? _discriminator;
    private Optimizer? _discriminatorOptimizer;
    private int _warmup;

    /// <inheritdoc />
    public override string Name => "semola";

    /// <inheritdoc />
    public override LieAugmenter? Augmenter => _augmenter;

    /// <summary>The discriminator of the distribution term (null when lambda_dist is 0).</summary>
    public Discriminator? Discriminator => _discriminator;

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetupModel(context);
        var s = context.Methods.Semola;
        _warmup = s.WarmupSteps;
        _objective = new SemolaObjective(s, context.Task.Kind, context.Task.InputAction, context.Task.OutputAction);
        _augmenter = new LieAugmenter(context.Space, s.Generators, context.InitSeed(1), s.InitialExtent);
        _augmenterOptimizer = context.Register("augmenter", _augmenter, s.AugmenterLearningRate, scheduled: true);
        if (s.LambdaDist > 0f)
        {
            var train = context.Task.Train;
            int inputs = context.Task.Kind == TaskKind.Classification ? train.SampleSize : train.SampleSize + train.TargetSize;
            _discriminator = new Discriminator(inputs, s.DiscriminatorWidth, context.InitRandom(2));
            _discriminatorOptimizer = context.Register("discriminator", _discriminator, s.DiscriminatorLearningRate, scheduled: false, Discriminator.CreateOptimizer);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(step);
        if (step.Step < _warmup)
        {
            var loss = Task.Loss(Model.Forward(batch.X), batch);
            ModelOptimizer.Step(loss.Backward());
            return Single(loss);
        }
        var terms = _objective.Compute(Model, _augmenter, _discriminator, batch, Copies);
        var grads = terms.Total.Backward();
        ModelOptimizer.Step(grads);
        _augmenterOptimizer.Step(grads);
        var values = new Dictionary<string, Tensor>(terms.Tensors());
        if (_discriminator is not null)
        {
            values["disc"] = _discriminator.TrainStep(_objective.DiscriminatorInput(batch.X, batch.Y), _objective.DiscriminatorInput(terms.ProbeInputs, terms.ProbeTargets), _discriminatorOptimizer!);
        }
        return values;
    }

    /// <inheritdoc />
    public override GroupSample SampleForTestTime(int count, Random rng) =>
        _augmenter.SampleFrom(Tensor.Uniform([count, _augmenter.K], -1f, 1f, rng, Device));
}
