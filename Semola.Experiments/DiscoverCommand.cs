using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Semola.Core.Data;
using Semola.Core.Discovery;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Tasks;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>
/// The <c>discover</c> verb (docs/discover.md): reads a table, trains a reference MLP without augmentation and counts its
/// symmetries from its spectrum, trains SEMoLA (predictive terms, hybrid extent cap), then judges every learned generator on
/// the held-out rows (target test: accepted or not, with a p-value; distribution test reported beside it), measures the
/// bracket closure of the accepted span and writes results.json, summary.md, config.json and generators.svg.
/// </summary>
public static class DiscoverCommand
{
    /// <summary>Fewest rows a table may have.</summary>
    public const int MinimumRows = 50;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private sealed record Table(float[] Inputs, int InputColumns, float[]? Targets, int TargetColumns, int[]? Labels, string[] ClassNames, string[] InputNames, string[] TargetNames, int Component, bool Equivariant, IReadOnlyList<double[,]>? Answer, string? AnswerName);

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(DiscoverOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ic = CultureInfo.InvariantCulture;
        bool equivariant;
        bool classification;
        ExtentCapRule capRule;
        Device device;
        try
        {
            equivariant = o.TargetKind switch
            {
                "invariant" => false,
                "equivariant" => true,
                _ => throw new ArgumentException($"--target-kind '{o.TargetKind}' is unknown; expected invariant or equivariant."),
            };
            classification = o.Task switch
            {
                "regression" => false,
                "classification" => true,
                _ => throw new ArgumentException($"--task '{o.Task}' is unknown; expected regression or classification."),
            };
            capRule = o.Cap switch
            {
                "hybrid" => ExtentCapRule.Hybrid,
                "spectral" => ExtentCapRule.Spectral,
                _ => throw new ArgumentException($"--cap '{o.Cap}' is unknown; expected hybrid or spectral."),
            };
            if (!(o.Alpha > 0 && o.Alpha < 1))
            {
                throw new ArgumentException($"--alpha must be between 0 and 1 (exclusive), got {o.Alpha}.");
            }
            if (!(o.Tolerance >= 1) || double.IsInfinity(o.Tolerance))
            {
                throw new ArgumentException($"--tolerance must be a finite number of at least 1, got {o.Tolerance}.");
            }
            if (!(o.Holdout > 0 && o.Holdout < 1))
            {
                throw new ArgumentException($"--holdout must be between 0 and 1 (exclusive), got {o.Holdout}.");
            }
            if (o.Epochs < 1 || o.ReferenceEpochs < 1 || o.BatchSize < 1 || o.Hidden < 1 || o.Rows < MinimumRows)
            {
                throw new ArgumentException($"--epochs ({o.Epochs}), --batch-size ({o.BatchSize}) and --hidden ({o.Hidden}) must be at least 1, --rows ({o.Rows}) at least {MinimumRows}.");
            }
            if (o.Generators is < 1)
            {
                throw new ArgumentException($"--generators must be at least 1, got {o.Generators}.");
            }
            if (o.Component is < 1)
            {
                throw new ArgumentException($"--component must be at least 1, got {o.Component}.");
            }
            if (equivariant && classification)
            {
                throw new ArgumentException("--target-kind equivariant needs --task regression (class labels are invariant).");
            }
            if (!o.Data.StartsWith("synthetic:", StringComparison.Ordinal) && (o.Inputs is null || o.Targets is null || o.Component is null))
            {
                throw new ArgumentException("discover needs --inputs, --targets and --component for a data file.");
            }
            if (o.Calibrate < 0 || (o.Calibrate > 0 && !o.Data.StartsWith("synthetic:", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"--calibrate needs generated data with a known answer (--data synthetic:NAME) and a non-negative count, got {o.Calibrate}.");
            }
            if (o.Compare is not null && !ReferenceAlgebras.Names.Contains(o.Compare))
            {
                throw new ArgumentException($"--compare '{o.Compare}' is unknown; expected one of {string.Join(", ", ReferenceAlgebras.Names)}.");
            }
            foreach (var (name, v) in new[] { ("lambda-eq", o.LambdaEq), ("lambda-dist", o.LambdaDist), ("lambda-ext", o.LambdaExt), ("lambda-basis", o.LambdaBasis), ("beta", o.Beta) })
            {
                if (!(v >= 0) || double.IsInfinity(v))
                {
                    throw new ArgumentException($"--{name} must be a finite non-negative number, got {v}.");
                }
            }
            if (o.Activation is not ("tanh" or "relu"))
            {
                throw new ArgumentException($"--activation '{o.Activation}' is unknown; expected tanh or relu.");
            }
            if (!(o.Lr > 0) || !(o.AugLr > 0))
            {
                throw new ArgumentException("--lr and --aug-lr must be positive.");
            }
            device = DeviceSelector.Select(o.Device);
        }
        catch (ArgumentException ex)
        {
            throw new ExperimentRunner.OptionException(ex.Message);
        }

        // Data problems are found before any directory is touched or any training starts (exit 1).
        var table = LoadTable(o, equivariant, classification);
        int c = table.Component;
        var references = new Dictionary<string, IReadOnlyList<double[,]>>();
        if (o.Compare is not null)
        {
            try
            {
                references[o.Compare] = ReferenceAlgebras.Get(o.Compare, c);
            }
            catch (ArgumentException ex)
            {
                throw new ExperimentRunner.OptionException(ex.Message);
            }
        }
        if (table.Answer is { Count: > 0 } answer && !references.ContainsKey(table.AnswerName!))
        {
            references[table.AnswerName!] = answer;
        }
        if (o.Generators > c * c)
        {
            throw new ExperimentRunner.OptionException($"--generators {o.Generators} exceeds the dimension of gl({c}) ({c * c}).");
        }
        var task = TabularTask.Build(table.Inputs, table.InputColumns, table.Targets, table.TargetColumns, table.Labels, c, table.Equivariant, o.Holdout, 0.1, o.Hidden, o.Seed, references, o.Activation);
        if (task.Test.Count < 20 || task.Train.Count < 20)
        {
            throw new InvalidDataException($"{o.Data}: {table.Inputs.Length / table.InputColumns} rows leave {task.Train.Count} to train and {task.Test.Count} to test; at least 20 of each are needed (about {(int)Math.Ceiling(20 / Math.Min(o.Holdout, 0.9 * (1 - o.Holdout)))} rows at --holdout {o.Holdout.ToString(ic)}).");
        }

        string outDir = OutputFiles.PrepareDirectory(o.Out, out bool created);
        bool wrote = false;
        try
        {
            using var runLock = RunLock.Acquire(outDir);
            wrote = true;
            return RunLocked(o, task, table, device, capRule, outDir, output);
        }
        finally
        {
            if (created && !wrote && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any())
            {
                Directory.Delete(outDir);
            }
        }
    }

    private static Table LoadTable(DiscoverOptions o, bool equivariant, bool classification)
    {
        if (o.Data.StartsWith("synthetic:", StringComparison.Ordinal))
        {
            string name = o.Data["synthetic:".Length..];
            if (!KnownAnswer.Names.Contains(name))
            {
                throw new ExperimentRunner.OptionException($"--data synthetic:{name} is unknown; expected synthetic:{string.Join("|", KnownAnswer.Names)}.");
            }
            if (o.Inputs is not null || o.Targets is not null || o.Component is not null || o.TargetKind != "invariant" || o.Task != "regression")
            {
                throw new ExperimentRunner.OptionException("--data synthetic:NAME sets its own columns, component, target kind and task; leave --inputs, --targets, --component, --target-kind and --task out.");
            }
            var k = KnownAnswer.Generate(name, o.Rows, unchecked(o.Seed * 1_000_003 + 11));
            return new Table(k.Inputs, k.InputColumns.Length, k.Targets, k.TargetColumns.Length, null, [], k.InputColumns, k.TargetColumns, k.Component, k.Equivariant, k.Answer, k.AnswerName);
        }
        var file = TabularFile.Read(o.Data);
        int[] inputs, targets;
        try
        {
            inputs = file.Resolve(o.Inputs!, "inputs");
            targets = file.Resolve(o.Targets!, "targets");
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message);
        }
        var overlap = inputs.Intersect(targets).ToArray();
        if (overlap.Length > 0)
        {
            throw new InvalidDataException($"column '{file.Columns[overlap[0]]}' is both an input and a target.");
        }
        int comp = o.Component!.Value;
        if (inputs.Length % comp != 0)
        {
            throw new InvalidDataException($"--component {comp} does not divide the {inputs.Length} input columns ({string.Join(", ", inputs.Select(i => file.Columns[i]))}).");
        }
        if (equivariant && targets.Length % comp != 0)
        {
            throw new InvalidDataException($"--target-kind equivariant: --component {comp} does not divide the {targets.Length} target columns.");
        }
        if (classification && targets.Length != 1)
        {
            throw new InvalidDataException($"--task classification needs exactly one target column (the class label), got {targets.Length}.");
        }
        if (file.Rows < MinimumRows)
        {
            throw new InvalidDataException($"{o.Data}: {file.Rows} rows; discover needs at least {MinimumRows} (a few thousand for a confident answer).");
        }
        var x = file.Numeric(inputs);
        string[] inputNames = inputs.Select(i => file.Columns[i]).ToArray();
        string[] targetNames = targets.Select(i => file.Columns[i]).ToArray();
        if (classification)
        {
            var text = file.Text(targets[0]);
            var classes = text.Distinct(StringComparer.Ordinal)
                .OrderBy(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.PositiveInfinity)
                .ThenBy(t => t, StringComparer.Ordinal).ToArray();
            if (classes.Length < 2)
            {
                throw new InvalidDataException($"{o.Data}: the target column '{targetNames[0]}' holds a single class ('{classes[0]}'); classification needs at least two.");
            }
            var index = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            return new Table(x, inputs.Length, null, 0, text.Select(t => index[t]).ToArray(), classes, inputNames, targetNames, comp, false, null, null);
        }
        return new Table(x, inputs.Length, file.Numeric(targets), targets.Length, null, [], inputNames, targetNames, comp, equivariant, null, null);
    }

    private static Trainer Stage(string name, SymmetryTask task, TrainingMethod method, TrainingOptions training, MethodOptions methods, RunIdentity identity, string checkpoints, bool resume, TextWriter output, ref double wall)
    {
        var trainer = new Trainer(task, method, training, methods);
        double prior = 0;
        if (resume)
        {
            var state = TrainerCheckpoint.LoadLatest(checkpoints, trainer, identity);
            if (state is not null)
            {
                prior = state.WallSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: resumed after epoch {state.Epoch}"));
            }
        }
        var clock = Stopwatch.StartNew();
        while (trainer.History.Count < trainer.TotalEpochs)
        {
            var record = trainer.RunEpoch();
            output.WriteLine($"{name}: {Trainer.Describe(record)}");
            TrainerCheckpoint.Save(checkpoints, trainer, identity, prior + clock.Elapsed.TotalSeconds);
        }
        wall += prior + clock.Elapsed.TotalSeconds;
        return trainer;
    }

    private static int RunLocked(DiscoverOptions o, TabularTask task, Table table, Device device, ExtentCapRule capRule, string outDir, TextWriter output)
    {
        var ic = CultureInfo.InvariantCulture;
        int c = table.Component;
        var config = ExperimentRunner.Config(o);
        var identity = RunIdentity.Fresh(config, task.DataChecksum());
        string checkpoints = Path.Combine(outDir, "checkpoints");
        if (!o.Resume && Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any())
        {
            if (!o.Overwrite)
            {
                throw new IOException($"--out {outDir} holds checkpoints of another run; use --resume to continue it, --overwrite to replace it, or another --out.");
            }
            Directory.Delete(checkpoints, recursive: true);
            foreach (var f in new[] { "results.json", "summary.md", "generators.svg", "config.json" })
            {
                File.Delete(Path.Combine(outDir, f));
            }
        }
        if (o.Resume && !Directory.Exists(checkpoints))
        {
            output.WriteLine("resume: no checkpoint found, starting afresh");
        }
        output.WriteLine(string.Format(ic, "discover: {0}, {1} input columns in blocks of {2}, {3} {4} target column(s), {5} train / {6} validation / {7} held-out rows, {8} reference and {11} SEMoLA epochs, seed {9}, device {10}",
            o.Data, table.InputColumns, c, classification(task) ? "classification" : table.Equivariant ? "equivariant" : "invariant", classification(task) ? 1 : table.TargetColumns,
            task.Train.Count, task.Validation.Count, task.Test.Count, o.ReferenceEpochs, o.Seed, device.Name, o.Epochs));
        static bool classification(SymmetryTask t) => t.Kind == TaskKind.Classification;

        var training = new TrainingOptions
        {
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = o.Seed,
            LearningRate = (float)o.Lr,
            CosineSchedule = true,
            Device = device,
            ProgressLinesPerEpoch = 0,
            EvalBatchSize = 1024,
        };
        training.Validate();
        double wall = 0;

        // 1. The reference model: trained without augmentation; the tests and the spectrum use it.
        var baseTrainer = Stage("reference", task, MethodCatalog.Create("base"), training with { Epochs = o.ReferenceEpochs }, new MethodOptions(), identity, Path.Combine(checkpoints, "reference"), o.Resume, output, ref wall);
        var reference = baseTrainer.Method.Model;
        var spectrumClock = Stopwatch.StartNew();
        var spectrum = SymmetrySpectrum.Compute(reference, task, task.Test, device);
        wall += spectrumClock.Elapsed.TotalSeconds;
        output.WriteLine(string.Format(ic, "spectrum: {0} symmetry direction(s); smallest values {1}", spectrum.Count,
            string.Join(", ", spectrum.Values.Take(Math.Min(spectrum.Values.Length, Math.Max(spectrum.Count + 2, 8))).Select(v => v.ToString("F4", ic)))));
        int k = o.Generators ?? Math.Max(1, spectrum.Count);

        // 2. SEMoLA: predictive terms (and the discriminator only if asked), the data-derived cap.
        var semola = new SemolaOptions
        {
            Generators = k,
            LambdaEq = (float)o.LambdaEq,
            LambdaDist = (float)o.LambdaDist,
            LambdaExt = (float)o.LambdaExt,
            LambdaBasis = (float)o.LambdaBasis,
            Beta = (float)o.Beta,
            AugmenterLearningRate = (float)o.AugLr,
            CapRule = capRule,
            DiscriminatorLearningRate = 1e-3f,
        };
        var semolaTrainer = Stage("semola", task, MethodCatalog.Create("semola"), training, new MethodOptions { Semola = semola }, identity, Path.Combine(checkpoints, "semola"), o.Resume, output, ref wall);
        var augmenter = semolaTrainer.Method.Augmenter!;
        var directions = augmenter.DirectionMatrices();
        var extents = augmenter.ExtentValues();

        // 3. Every generator on the held-out rows, at a fixed magnitude, with the reference model.
        var testClock = Stopwatch.StartNew();
        var perGenerator = new List<(TargetTestResult Target, DistributionTestResult Distribution, double? HalfPeriod)>();
        for (int i = 0; i < k; i++)
        {
            double tau = SymmetryTests.TestMagnitude(directions[i], task.Test);
            var target = SymmetryTests.TargetTest(reference, task, task.Test, directions[i], tau, o.Tolerance, Trainer.Mix(o.Seed, i, 211), device);
            var dist = SymmetryTests.DistributionTest(task, task.Test, directions[i], tau, Trainer.Mix(o.Seed, i, 223), device);
            perGenerator.Add((target, dist, ExtentCaps.HalfPeriod(directions[i])));
            output.WriteLine(string.Format(ic, "generator {0}: tau {1:G4}, loss ratio {2:F3} [{3:F3}, {4:F3}], target p {5:G3} -> {6}; distribution: classifier accuracy {7:F3}, p {8:G3}",
                i + 1, tau, target.Ratio, target.RatioLow, target.RatioHigh, target.PValue, target.PValue >= o.Alpha ? "accepted" : "rejected", dist.Accuracy, dist.PValue));
        }
        var accepted = perGenerator.Select(g => g.Target.PValue >= o.Alpha).ToArray();
        var acceptedDirections = directions.Where((_, i) => accepted[i]).ToArray();
        var closureAll = LieAlgebraMetrics.BracketResiduals(directions);
        double closureAccepted = LieAlgebraMetrics.BracketClosure(acceptedDirections);
        wall += testClock.Elapsed.TotalSeconds;

        // Similarities: the named references, and the spectrum's span.
        var similarity = new Dictionary<string, double>();
        foreach (var (name, basis) in task.ReferenceBases)
        {
            similarity[name] = LieAlgebraMetrics.SubspaceSimilarity(acceptedDirections, basis);
        }
        var known = new Dictionary<string, double>();
        foreach (var name in ReferenceAlgebras.Names)
        {
            try
            {
                known[name] = LieAlgebraMetrics.SubspaceSimilarity(acceptedDirections, ReferenceAlgebras.Get(name, c));
            }
            catch (ArgumentException)
            {
                // Not a basis of C x C matrices.
            }
        }
        double spectrumAgreement = spectrum.Count > 0 && acceptedDirections.Length > 0 ? LieAlgebraMetrics.SubspaceSimilarity(acceptedDirections, spectrum.Directions) : double.NaN;

        var root = new JsonObject
        {
            ["verb"] = "discover",
            ["data"] = o.Data.StartsWith("synthetic:", StringComparison.Ordinal) ? o.Data : Path.GetFileName(o.Data),
            ["inputs"] = new JsonArray(table.InputNames.Select(n => (JsonNode)n).ToArray()),
            ["targets"] = new JsonArray(table.TargetNames.Select(n => (JsonNode)n).ToArray()),
            ["component"] = c,
            ["target_kind"] = table.Equivariant ? "equivariant" : "invariant",
            ["task"] = classification(task) ? "classification" : "regression",
            ["classes"] = classification(task) ? new JsonArray(table.ClassNames.Select(n => (JsonNode)n).ToArray()) : null,
            ["seed"] = o.Seed,
            ["device"] = device.Name,
            ["version"] = ResultsWriter.Version,
            ["run_id"] = identity.RunId,
            ["data_sha256"] = identity.DataSha256,
            ["rows"] = new JsonObject { ["train"] = task.Train.Count, ["validation"] = task.Validation.Count, ["held_out"] = task.Test.Count },
            ["input_scale"] = task.InputScale,
            ["alpha"] = o.Alpha,
            ["tolerance"] = o.Tolerance,
            ["generators"] = new JsonArray(directions.Select(d => (JsonNode)ResultsOutput.Matrix(d)).ToArray()),
            ["extents"] = new JsonArray(extents.Select(e => ResultsOutput.Number(Math.Round(e, 6))).ToArray()),
            ["accepted"] = new JsonArray(accepted.Select(a => (JsonNode)a).ToArray()),
            ["p_values"] = new JsonArray(perGenerator.Select(g => ResultsOutput.Number(g.Target.PValue)).ToArray()),
            ["symmetry_found"] = accepted.Any(a => a),
            ["distribution_symmetric"] = new JsonArray(perGenerator.Select(g => (JsonNode)(g.Distribution.PValue >= o.Alpha)).ToArray()),
            ["distribution_p_values"] = new JsonArray(perGenerator.Select(g => ResultsOutput.Number(g.Distribution.PValue)).ToArray()),
            ["tests"] = new JsonArray(perGenerator.Select((g, i) => (JsonNode)new JsonObject
            {
                ["generator"] = i + 1,
                ["compact"] = g.HalfPeriod is not null,
                ["half_period"] = g.HalfPeriod is double h ? ResultsOutput.Number(h) : null,
                ["test_magnitude"] = ResultsOutput.Number(g.Target.Magnitude),
                ["loss_original"] = ResultsOutput.Number(g.Target.LossOriginal),
                ["loss_transformed"] = ResultsOutput.Number(g.Target.LossTransformed),
                ["loss_ratio"] = ResultsOutput.Number(g.Target.Ratio),
                ["loss_ratio_ci95"] = new JsonArray(ResultsOutput.Number(g.Target.RatioLow), ResultsOutput.Number(g.Target.RatioHigh)),
                ["t_statistic"] = ResultsOutput.Number(g.Target.Statistic),
                ["p_value"] = ResultsOutput.Number(g.Target.PValue),
                ["accepted"] = accepted[i],
                ["distribution_accuracy"] = ResultsOutput.Number(g.Distribution.Accuracy),
                ["distribution_samples"] = g.Distribution.Samples,
                ["distribution_p_value"] = ResultsOutput.Number(g.Distribution.PValue),
            }).ToArray()),
            ["bracket_closure"] = new JsonObject
            {
                ["accepted"] = ResultsOutput.Number(closureAccepted),
                ["all"] = ResultsOutput.Number(LieAlgebraMetrics.BracketClosure(directions)),
                ["pairs"] = new JsonArray(closureAll.Select(p => (JsonNode)new JsonObject
                {
                    ["i"] = p.I + 1,
                    ["j"] = p.J + 1,
                    ["bracket_norm"] = ResultsOutput.Number(p.BracketNorm),
                    ["relative_residual"] = ResultsOutput.Number(p.Relative),
                }).ToArray()),
            },
            ["subspace_similarity"] = new JsonObject(similarity.Select(kv => KeyValuePair.Create(kv.Key, ResultsOutput.Number(kv.Value)))),
            ["similarity_to_known"] = new JsonObject(known.Select(kv => KeyValuePair.Create(kv.Key, ResultsOutput.Number(kv.Value)))),
            ["spectrum"] = new JsonObject
            {
                ["values"] = new JsonArray(spectrum.Values.Select(v => ResultsOutput.Number(Math.Round(v, 6))).ToArray()),
                ["count"] = spectrum.Count,
                ["rows"] = spectrum.Rows,
                ["directions"] = new JsonArray(spectrum.Directions.Select(d => (JsonNode)ResultsOutput.Matrix(d)).ToArray()),
                ["similarity_to_accepted"] = ResultsOutput.Number(spectrumAgreement),
            },
            ["reference_model"] = Metrics(baseTrainer),
            ["semola_model"] = Metrics(semolaTrainer),
            ["wall_seconds"] = Math.Round(wall, 2),
            ["config"] = new JsonObject(config.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        };
        if (o.Calibrate > 0)
        {
            root["calibration"] = Calibrate(o, task, reference, table, device, output);
        }
        var summary = Summary(o, task, table, directions, extents, perGenerator, accepted, closureAccepted, similarity, known, spectrum, spectrumAgreement, baseTrainer, semolaTrainer, wall);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "results.json"), root.ToJsonString(Indented));
        OutputFiles.WriteAtomic(Path.Combine(outDir, "summary.md"), summary);
        ConfigFile.WriteEffectiveConfig(outDir, "discover", o);
        var panels = new List<(string, double[,])>();
        for (int i = 0; i < k; i++)
        {
            panels.Add((string.Format(ic, "L{0} {1} (p {2:G2})", i + 1, accepted[i] ? "accepted" : "rejected", perGenerator[i].Target.PValue), directions[i]));
        }
        foreach (var (name, basis) in task.ReferenceBases)
        {
            for (int i = 0; i < basis.Count; i++)
            {
                panels.Add((string.Format(ic, "{0} #{1}", name, i + 1), basis[i]));
            }
        }
        OutputFiles.WriteAtomic(Path.Combine(outDir, "generators.svg"), GeneratorFigure.Svg(panels));
        output.Write(summary);
        output.WriteLine(string.Format(ic, "results: {0}", Path.Combine(outDir, "results.json")));
        return 0;
    }

    /// <summary>
    /// The target test's error rates on generated data (ground truth used for this metric only): --calibrate N random unit
    /// directions inside the true algebra (acceptance = 1 - false-negative rate) and N outside it (random directions of
    /// gl(C) with their component in the true span removed; acceptance = false-positive rate), with the reference model.
    /// </summary>
    private static JsonObject Calibrate(DiscoverOptions o, TabularTask task, Semola.Autodiff.Nn.Module reference, Table table, Device device, TextWriter output)
    {
        var ic = CultureInfo.InvariantCulture;
        int c = table.Component;
        var answer = table.Answer ?? [];
        var q = LieAlgebraMetrics.Orthonormalize(answer);
        var rng = new Random(Trainer.Mix(o.Seed, 0, 307));
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double[,] Unit(double[] v)
        {
            double norm = Math.Sqrt(v.Sum(x => x * x));
            var m = new double[c, c];
            for (int i = 0; i < c * c; i++)
            {
                m[i / c, i % c] = v[i] / norm;
            }
            return m;
        }
        var result = new JsonObject();
        foreach (var (kind, inside) in new[] { ("inside", true), ("outside", false) })
        {
            if (inside && q.Length == 0)
            {
                continue;
            }
            var ratios = new JsonArray();
            int acceptedCount = 0;
            for (int n = 0; n < o.Calibrate; n++)
            {
                var v = new double[c * c];
                if (inside)
                {
                    foreach (var e in q)
                    {
                        double w = Normal();
                        for (int i = 0; i < v.Length; i++)
                        {
                            v[i] += w * e[i];
                        }
                    }
                }
                else
                {
                    for (int i = 0; i < v.Length; i++)
                    {
                        v[i] = Normal();
                    }
                    foreach (var e in q)
                    {
                        double p = v.Zip(e, (a, b) => a * b).Sum();
                        for (int i = 0; i < v.Length; i++)
                        {
                            v[i] -= p * e[i];
                        }
                    }
                }
                var direction = Unit(v);
                double tau = SymmetryTests.TestMagnitude(direction, task.Test);
                var r = SymmetryTests.TargetTest(reference, task, task.Test, direction, tau, o.Tolerance, Trainer.Mix(o.Seed, n, inside ? 311 : 313), device);
                acceptedCount += r.PValue >= o.Alpha ? 1 : 0;
                ratios.Add(ResultsOutput.Number(Math.Round(r.Ratio, 4)));
            }
            double rate = (double)acceptedCount / o.Calibrate;
            result[kind] = new JsonObject { ["directions"] = o.Calibrate, ["accepted"] = acceptedCount, ["acceptance_rate"] = rate, ["loss_ratios"] = ratios };
            output.WriteLine(string.Format(ic, "calibration: {0} of {1} random directions {2} the true algebra accepted ({3})", acceptedCount, o.Calibrate, kind,
                inside ? "false-negative rate " + (1 - rate).ToString("F2", ic) : "false-positive rate " + rate.ToString("F2", ic)));
        }
        return result;
    }

    /// <summary>The usual notation of a reference algebra's name (so13 -> so(1,3)).</summary>
    private static string Display(string name) => name switch
    {
        "so2" => "so(2)",
        "so3" => "so(3)",
        "se3" => "se(3)",
        "so13" => "so(1,3)",
        "scale" => "scalings",
        "translation" => "translations",
        _ => name,
    };

    private static JsonObject Metrics(Trainer trainer)
    {
        var last = trainer.History[^1];
        var o = new JsonObject();
        foreach (var (key, v) in last.Test ?? new Dictionary<string, double>())
        {
            o["held_out_" + key] = ResultsOutput.Number(v);
        }
        foreach (var (key, v) in last.Validation)
        {
            o["validation_" + key] = ResultsOutput.Number(v);
        }
        return o;
    }

    private static string Summary(DiscoverOptions o, TabularTask task, Table table, double[][,] directions, float[] extents,
        List<(TargetTestResult Target, DistributionTestResult Distribution, double? HalfPeriod)> tests, bool[] accepted, double closure,
        Dictionary<string, double> similarity, Dictionary<string, double> known, SpectrumResult spectrum, double spectrumAgreement, Trainer reference, Trainer semola, double wall)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        int k = directions.Length, n = accepted.Count(a => a);
        s.Append("# discover: ").Append(o.Data).Append("\n\n");
        if (n == 0)
        {
            double pmax = tests.Max(t => t.Target.PValue);
            s.Append(string.Format(ic, "**No continuous symmetry found.** Every candidate generator ({0}) changes the input-target relation: each raises the reference model's held-out loss by more than the tolerance of {1}x (largest p = {2:G2} < alpha = {3}).\n\n",
                k, o.Tolerance, pmax, o.Alpha));
        }
        else
        {
            var best = known.Where(kv => kv.Value >= 0.9).OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault();
            string closes = n == 1 ? "one generator (a one-parameter group)"
                : closure < 0.05 ? string.Format(ic, "spanning a space that closes under the bracket (residual {0:F3})", closure)
                : string.Format(ic, "spanning a space that does not close under the bracket (residual {0:F3}; the Lie algebra they generate is larger, or some generators are only approximate)", closure);
            s.Append(string.Format(ic, "**{0} of {1} generator(s) accepted**, {2}", n, k, closes));
            s.Append(best is not null ? string.Format(ic, ": consistent with {0} (subspace similarity {1:F3}).\n\n", Display(best), known[best]) : ".\n\n");
        }
        s.Append("| generator | accepted | p (target) | loss ratio [95% CI] | test magnitude | learned extent | compact | distribution kept (p) |\n");
        s.Append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < k; i++)
        {
            var t = tests[i];
            s.Append(string.Format(ic, "| L{0} | {1} | {2:G3} | {3:F2} [{4:F2}, {5:F2}] | {6:G3} | {7:G3} | {8} | {9} ({10:G3}) |\n",
                i + 1, accepted[i] ? "yes" : "no", t.Target.PValue, t.Target.Ratio, t.Target.RatioLow, t.Target.RatioHigh, t.Target.Magnitude, extents[i],
                t.HalfPeriod is null ? "no" : "yes", t.Distribution.PValue >= o.Alpha ? "yes" : "no", t.Distribution.PValue));
        }
        s.Append('\n');
        s.Append(string.Format(ic, "- Target test: the reference model (trained without augmentation) on {0} held-out rows, transformed by exp(t L), t = +-tau (random sign), tau where the inputs' median relative displacement is {1}; accepted unless the loss rises by more than {2}x (one-sided t test at alpha {3}).\n",
            task.Test.Count, SymmetryTests.TestDisplacement, o.Tolerance, o.Alpha));
        var kept = tests.Select((t, i) => (t, i)).Where(p => accepted[p.i]).ToList();
        if (kept.Count > 0)
        {
            int changed = kept.Count(p => p.t.Distribution.PValue < o.Alpha);
            s.Append(changed == 0
                ? string.Format(ic, "- Distribution: no accepted generator detectably changes the distribution of the data (classifier two-sample test on {0} rows; small shifts can escape it).\n", tests[0].Distribution.Samples)
                : string.Format(ic, "- Distribution: {0} accepted generator(s) change the distribution of the inputs although the target keeps its relation (common: the data cover only part of the group's orbit; Lorentz boosts never keep a distribution). The symmetry is one of the target, not of the sampling.\n", changed));
        }
        s.Append(string.Format(ic, "- Symmetry spectrum of the reference model: {0} direction(s) below the gap (smallest values {1}).", spectrum.Count,
            string.Join(", ", spectrum.Values.Take(Math.Min(spectrum.Values.Length, Math.Max(spectrum.Count + 1, 3))).Select(v => v.ToString("F3", ic)))));
        if (spectrum.Count != n)
        {
            s.Append(string.Format(ic, " It disagrees with the {0} accepted generator(s): {1}\n", n,
                spectrum.Count > n ? "SEMoLA may have too few generators (--generators) or too few epochs; the spectrum may also count near-symmetries the test rejects." : "the accepted span holds directions the spectrum does not count; treat them with care."));
        }
        else
        {
            s.Append(n > 0 && double.IsFinite(spectrumAgreement) ? string.Format(ic, " It agrees with the accepted generators (subspace similarity {0:F3}).\n", spectrumAgreement) : " It agrees: no symmetry.\n");
        }
        foreach (var (name, v) in similarity)
        {
            s.Append(string.Format(ic, "- Subspace similarity of the accepted span with {0}: {1:F4}.\n", Display(name), v));
        }
        string Metric(Trainer t)
        {
            var m = t.History[^1].Test ?? new Dictionary<string, double>();
            return task.Kind == TaskKind.Classification ? string.Format(ic, "accuracy {0:F4}", m.GetValueOrDefault("accuracy", double.NaN)) : string.Format(ic, "mse {0:G4} (standardised)", m.GetValueOrDefault("mse", double.NaN));
        }
        s.Append(string.Format(ic, "- Held-out error: reference model {0}; SEMoLA's model {1}.\n", Metric(reference), Metric(semola)));
        var refTest = reference.History[^1].Test ?? new Dictionary<string, double>();
        if (task.Kind == TaskKind.Regression && refTest.GetValueOrDefault("mse", 0) > 0.1)
        {
            s.Append(string.Format(ic, "- **Caution:** the reference model leaves {0:P0} of the held-out target variance unexplained. The target test compares losses, so it can only reject transformations that change the target by more than about the model's error: an acceptance here is weak evidence. More rows or --reference-epochs sharpen it.\n", refTest["mse"]));
        }
        s.Append(string.Format(ic, "- Generators are unit-norm C x C matrices in the input's coordinates (inputs were divided by one scalar, {0:G4}, which changes no linear generator). Run time {1:F0} s, seed {2}.\n", task.InputScale, wall, o.Seed));
        return s.ToString();
    }
}
