using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Kernels;

namespace Semola.Core.Metrics;

/// <summary>Accuracy and invariance metrics of image classifiers (the model is put in evaluation mode).</summary>
public static class ClassifierMetrics
{
    /// <summary>Copies images [indices] into a tensor [count, C, H, W].</summary>
    public static Tensor Images(ImageDataSet data, int start, int count, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Tensor.FromArray(data.Pixels.AsSpan(start * data.ImageSize, count * data.ImageSize), [count, data.Channels, data.Height, data.Width], device);
    }

    /// <summary>Fraction of <paramref name="data"/> whose argmax prediction equals the label.</summary>
    public static double Accuracy(Module model, ImageDataSet data, Device device, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = model.IsTraining;
        model.Eval();
        long correct = 0;
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = new TensorScope();
                int n = Math.Min(batchSize, data.Count - start);
                var pred = model.Forward(Images(data, start, n, device)).ArgMax(1).ToArray();
                for (int i = 0; i < n; i++)
                {
                    if ((int)pred[i] == data.Labels[start + i])
                    {
                        correct++;
                    }
                }
            }
        }
        model.Train(wasTraining);
        return data.Count == 0 ? 0 : (double)correct / data.Count;
    }

    /// <summary>
    /// Under random elements g of the ground-truth group (one per test image, drawn by
    /// <paramref name="sampleGroup"/>): the rate at which argmax f(g.x) differs from argmax f(x), and the
    /// mean KL(p(x) || p(g.x)).
    /// </summary>
    public static (double ViolationRate, double MeanKl) Invariance(Module model, ImageDataSet data, IGroupAction action, Func<int, Tensor> sampleGroup, Device device, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(sampleGroup);
        bool wasTraining = model.IsTraining;
        model.Eval();
        long changed = 0;
        double kl = 0;
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = new TensorScope();
                int n = Math.Min(batchSize, data.Count - start);
                var x = Images(data, start, n, device);
                var gx = action.Apply(sampleGroup(n), x);
                var logits = model.Forward(Tensor.Concat([x, gx], 0));
                var lx = logits.Narrow(0, 0, n);
                var lgx = logits.Narrow(0, n, n);
                var a = lx.ArgMax(1).ToArray();
                var b = lgx.ArgMax(1).ToArray();
                for (int i = 0; i < n; i++)
                {
                    if (a[i] != b[i])
                    {
                        changed++;
                    }
                }
                kl += Losses.KlDivergence(lx, lgx).Item() * n;
            }
        }
        model.Train(wasTraining);
        return data.Count == 0 ? (0, 0) : ((double)changed / data.Count, kl / data.Count);
    }
}
