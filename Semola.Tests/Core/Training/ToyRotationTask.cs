using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Tests.Core.Training;

/// <summary>
/// A tiny hand-made task with a known answer (and the example in docs/adding-an-experiment.md): two points in the
/// plane, x = (p1, p2), and an invariant target y = |p1|^2 - |p2|^2 + p1 . p2, unchanged when both points rotate
/// together. The group acts on x by one 4x4 matrix; the true generator is the shared 2x2 rotation block.
/// </summary>
public sealed class ToyRotationTask : SymmetryTask
{
    private static readonly IGroupAction Trivial = new TrivialAction();

    private ToyRotationTask(SampleSet train, SampleSet validation, SampleSet test)
        : base(train, validation, test)
    {
    }

    /// <summary>
    /// Seeded samples; with <paramref name="restricted"/> the training and validation points keep p1 within +-60 degrees
    /// of the x axis (a restricted view of the orbit); the test points cover the full turn.
    /// </summary>
    public static ToyRotationTask Build(int train, int validation, int test, int seed, bool restricted = true)
    {
        var rng = new Random(seed);
        SampleSet Make(int n, bool restricted)
        {
            var x = new float[n * 4];
            var y = new float[n];
            for (int i = 0; i < n; i++)
            {
                double r1 = 0.5 + rng.NextDouble(), r2 = 0.5 + rng.NextDouble();
                double a1 = restricted ? (rng.NextDouble() - 0.5) * 2 * Math.PI / 3 : rng.NextDouble() * 2 * Math.PI;
                double a2 = a1 + rng.NextDouble() * 2 * Math.PI;
                var p = new[] { r1 * Math.Cos(a1), r1 * Math.Sin(a1), r2 * Math.Cos(a2), r2 * Math.Sin(a2) };
                for (int k = 0; k < 4; k++)
                {
                    x[i * 4 + k] = (float)p[k];
                }
                y[i] = (float)(r1 * r1 - r2 * r2 + p[0] * p[2] + p[1] * p[3]);
            }
            return new SampleSet(x, [4], null, y, [1]);
        }
        return new ToyRotationTask(Make(train, restricted), Make(validation, restricted), Make(test, false));
    }

    /// <inheritdoc />
    public override string Name => "toy-rotation";

    /// <inheritdoc />
    public override IGroupAction InputAction { get; } = new VectorAction();

    /// <summary>The target is invariant.</summary>
    public override IGroupAction OutputAction => Trivial;

    /// <inheritdoc />
    public override int GroupDimension => 4;

    /// <inheritdoc />
    public override SearchSpace DefaultSpace => SearchSpace.SharedBlocks2x2(2);

    /// <inheritdoc />
    public override GroundTruthGroup GroundTruth { get; } = new(LieAlgebraBases.NBodyRotation(1), MathF.PI);

    /// <inheritdoc />
    public override Module CreateModel(Random rng) => new Mlp([4, 64, 64, 1], rng);
}
