namespace Semola.Autodiff.Nn;

/// <summary>
/// Recomputes the running statistics of every batch-norm layer of a model from a fixed set of
/// batches ("precise" statistics): each layer's running mean and variance become the plain average of
/// the per-batch statistics over the batches, under the model's current weights, instead of the
/// exponential average that training left behind, which lags the weights by the last few dozen
/// steps.
/// </summary>
public static class BatchNormStatistics
{
    /// <summary>Every batch-norm layer of <paramref name="module"/>, itself included, in depth-first order.</summary>
    public static IReadOnlyList<BatchNorm> Layers(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var found = new List<BatchNorm>();
        Collect(module, found);
        return found;
    }

    /// <summary>
    /// Recomputes the statistics of every batch-norm layer of <paramref name="model"/> by running it
    /// in training mode, without gradients, on each input batch (the b-th batch enters with momentum
    /// 1 / b, so the result is the average over batches). The model's mode and the layers' momenta are
    /// restored afterwards. Returns the number of batches used; 0 leaves the statistics untouched.
    /// </summary>
    public static int Recompute(Module model, IEnumerable<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var layers = Layers(model);
        if (layers.Count == 0)
        {
            return 0;
        }

        bool wasTraining = model.IsTraining;
        var momenta = layers.Select(l => l.Momentum).ToArray();
        int used = 0;
        try
        {
            model.Train(true);
            using (GradMode.NoGrad())
            {
                foreach (var x in inputs)
                {
                    if (used == 0)
                    {
                        foreach (var l in layers)
                        {
                            l.ResetRunningStatistics();
                        }
                    }
                    used++;
                    foreach (var l in layers)
                    {
                        l.Momentum = 1f / used;
                    }
                    using var scope = new TensorScope();
                    model.Forward(x);
                }
            }
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++)
            {
                layers[i].Momentum = momenta[i];
            }
            model.Train(wasTraining);
        }
        return used;
    }

    private static void Collect(Module module, List<BatchNorm> found)
    {
        if (module is BatchNorm bn)
        {
            found.Add(bn);
        }
        foreach (var (_, child) in module.NamedChildren())
        {
            Collect(child, found);
        }
    }
}
