using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// A user's table for <c>discover</c>: input columns read as consecutive blocks of C values on which a candidate group
/// acts alike (g x_b for every block b), an MLP predicting the targets (regression: invariant targets, or equivariant
/// ones made of blocks of C that transform alike; classification: one label column), and C x C generators searched in
/// all of gl(C). Inputs are divided by one scalar (their root mean square on the training split), which keeps every
/// linear action linear; invariant regression targets are standardised per column, equivariant ones divided by one
/// scalar. The held-out split is the test split; validation is carved from the training rows.
/// </summary>
public sealed class TabularTask : SymmetryTask
{
    private static readonly IGroupAction Vectors = new VectorAction();
    private static readonly IGroupAction Trivial = new TrivialAction();
    private readonly int _hidden;
    private readonly bool _equivariant;
    private int _classes;
    private readonly Dictionary<string, IReadOnlyList<double[,]>> _references;

    private TabularTask(SampleSet train, SampleSet validation, SampleSet test, int component, bool equivariant, int hidden, Dictionary<string, IReadOnlyList<double[,]>> references, double inputScale)
        : base(train, validation, test)
    {
        Component = component;
        _equivariant = equivariant;
        _hidden = hidden;
        _references = references;
        InputScale = inputScale;
    }

    /// <summary>The block size C.</summary>
    public int Component { get; }

    /// <summary>Whether the targets transform with the inputs.</summary>
    public bool Equivariant => _equivariant;

    /// <summary>The scalar the raw inputs were divided by.</summary>
    public double InputScale { get; }

    /// <inheritdoc />
    public override string Name => "discover";

    /// <inheritdoc />
    public override int Classes => _classes;

    /// <inheritdoc />
    public override IGroupAction InputAction => Vectors;

    /// <inheritdoc />
    public override IGroupAction OutputAction => _equivariant ? Vectors : Trivial;

    /// <inheritdoc />
    public override int GroupDimension => Component;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, IReadOnlyList<double[,]>> ReferenceBases => _references;

    /// <inheritdoc />
    public override Module CreateModel(Random rng) =>
        new Mlp([Train.SampleSize, _hidden, _hidden, Kind == Method.TaskKind.Classification ? Classes : Train.TargetSize], rng, Activation switch
        {
            "tanh" => () => new Tanh(),
            _ => () => new ReLU(),
        });

    /// <summary>The hidden layers' activation: relu or tanh (smooth, so input gradients, and the symmetry spectrum, are less noisy).</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>
    /// Builds the task. <paramref name="inputs"/> is [rows, d_in]; exactly one of <paramref name="targets"/> ([rows, d_out],
    /// regression) and <paramref name="labels"/> (classification) is given. Rows are shuffled with <paramref name="seed"/>;
    /// the last <paramref name="holdout"/> share is the held-out (test) split.
    /// </summary>
    public static TabularTask Build(float[] inputs, int inputColumns, float[]? targets, int targetColumns, int[]? labels, int component, bool equivariant,
        double holdout, double validationFraction, int hidden, int seed, IReadOnlyDictionary<string, IReadOnlyList<double[,]>>? references = null, string activation = "relu")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (component < 1 || inputColumns % component != 0)
        {
            throw new ArgumentException($"--component {component} does not divide the {inputColumns} input columns.");
        }
        if ((targets is null) == (labels is null))
        {
            throw new ArgumentException("A table has either regression targets or class labels.");
        }
        if (equivariant && (labels is not null || targetColumns % component != 0))
        {
            throw new ArgumentException(labels is not null
                ? "--target-kind equivariant needs regression targets (classification labels are invariant)."
                : $"--target-kind equivariant: --component {component} does not divide the {targetColumns} target columns.");
        }
        if (!(holdout > 0 && holdout < 1))
        {
            throw new ArgumentException($"--holdout must be between 0 and 1 (exclusive), got {holdout}.");
        }
        int rows = inputs.Length / inputColumns;
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        int test = (int)Math.Round(rows * holdout);
        var testRows = order[^test..];
        var rest = order[..^test];
        var (trainPos, valPos) = Splits.CarveValidation(rest.Length, validationFraction, unchecked(seed * 31 + 7));
        var trainRows = trainPos.Select(i => rest[i]).ToArray();
        var valRows = valPos.Select(i => rest[i]).ToArray();

        // One scalar for the inputs (a linear action stays linear); targets: per column (invariant) or one scalar (equivariant).
        double ss = 0;
        foreach (int r in trainRows)
        {
            for (int c = 0; c < inputColumns; c++)
            {
                double v = inputs[(long)r * inputColumns + c];
                ss += v * v;
            }
        }
        double inputScale = Math.Sqrt(ss / Math.Max(1, (long)trainRows.Length * inputColumns));
        if (!(inputScale > 0))
        {
            inputScale = 1;
        }
        var mean = new double[targetColumns];
        var scale = Enumerable.Repeat(1.0, targetColumns).ToArray();
        if (targets is not null)
        {
            if (equivariant)
            {
                double t2 = trainRows.Sum(r => Enumerable.Range(0, targetColumns).Sum(c => (double)targets[(long)r * targetColumns + c] * targets[(long)r * targetColumns + c]));
                double s = Math.Sqrt(t2 / Math.Max(1, (long)trainRows.Length * targetColumns));
                Array.Fill(scale, s > 0 ? s : 1);
            }
            else
            {
                for (int c = 0; c < targetColumns; c++)
                {
                    double m = trainRows.Average(r => (double)targets[(long)r * targetColumns + c]);
                    double v = trainRows.Average(r => Math.Pow(targets[(long)r * targetColumns + c] - m, 2));
                    mean[c] = m;
                    scale[c] = v > 0 ? Math.Sqrt(v) : 1;
                }
            }
        }
        SampleSet Take(int[] idx)
        {
            var x = new float[(long)idx.Length * inputColumns];
            for (int i = 0; i < idx.Length; i++)
            {
                for (int c = 0; c < inputColumns; c++)
                {
                    x[(long)i * inputColumns + c] = (float)(inputs[(long)idx[i] * inputColumns + c] / inputScale);
                }
            }
            if (labels is not null)
            {
                return new SampleSet(x, [inputColumns], idx.Select(i => labels[i]).ToArray());
            }
            var y = new float[(long)idx.Length * targetColumns];
            for (int i = 0; i < idx.Length; i++)
            {
                for (int c = 0; c < targetColumns; c++)
                {
                    y[(long)i * targetColumns + c] = (float)((targets![(long)idx[i] * targetColumns + c] - mean[c]) / scale[c]);
                }
            }
            return new SampleSet(x, [inputColumns], null, y, [targetColumns]);
        }
        return new TabularTask(Take(trainRows), Take(valRows), Take(testRows), component, equivariant, hidden,
            references is null ? [] : new Dictionary<string, IReadOnlyList<double[,]>>(references), inputScale)
        {
            _classes = labels is null ? 0 : labels.Max() + 1,
            Activation = activation is "relu" or "tanh" ? activation : throw new ArgumentException($"Unknown activation '{activation}'; expected relu or tanh."),
        };
    }
}
