using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Data;

namespace Semola.Core.Training;

/// <summary>
/// Plain supervised training of an image classifier with cross-entropy: shuffled mini-batches, one
/// tensor scope per step (so each step's activations and gradients are freed), and accuracy
/// evaluation in evaluation mode without recording.
/// </summary>
public sealed class ClassifierTrainer
{
    /// <summary>Creates a trainer for <paramref name="model"/> updated by <paramref name="optimizer"/>.</summary>
    public ClassifierTrainer(Module model, Optimizer optimizer, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Model = model;
        Optimizer = optimizer;
        BatchSize = batchSize;
    }

    /// <summary>The network.</summary>
    public Module Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; }

    /// <summary>Copies the images at <paramref name="indices"/> into an [N, C, H, W] tensor and their labels.</summary>
    public static (Tensor Images, int[] Labels) Batch(ImageDataSet data, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(data);
        int size = data.ImageSize;
        var pixels = new float[indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            data.Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }
        return (Tensor.FromArray(pixels, [indices.Length, data.Channels, data.Height, data.Width]), labels);
    }

    /// <summary>One training step on a batch; returns the loss.</summary>
    public float Step(Tensor images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        Model.Train();
        var loss = Losses.CrossEntropy(Model.Forward(images), labels);
        var grads = loss.Backward();
        Optimizer.Step(grads);
        return loss.Item();
    }

    /// <summary>
    /// One pass over <paramref name="data"/> in an order shuffled by <paramref name="rng"/> (the last
    /// partial batch is kept when it has at least two images). Calls <paramref name="progress"/>
    /// after each step with (step, steps, loss). Returns the mean loss.
    /// </summary>
    public double TrainEpoch(ImageDataSet data, Random rng, Action<int, int, float>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        var order = Enumerable.Range(0, data.Count).ToArray();
        rng.Shuffle(order);
        int steps = (data.Count + BatchSize - 1) / BatchSize;
        if (steps > 0 && data.Count - (steps - 1) * BatchSize < 2)
        {
            steps--; // batch normalisation needs two samples
        }
        double total = 0;
        for (int s = 0; s < steps; s++)
        {
            int start = s * BatchSize;
            int count = Math.Min(BatchSize, data.Count - start);
            float loss;
            using (new TensorScope())
            {
                var (images, labels) = Batch(data, order.AsSpan(start, count));
                loss = Step(images, labels);
            }
            total += loss;
            progress?.Invoke(s + 1, steps, loss);
        }
        return steps == 0 ? double.NaN : total / steps;
    }

    /// <summary>Fraction of <paramref name="data"/> classified correctly, in evaluation mode.</summary>
    public double Accuracy(ImageDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        int correct = 0;
        var indices = Enumerable.Range(0, data.Count).ToArray();
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += BatchSize)
            {
                int count = Math.Min(BatchSize, data.Count - start);
                using (new TensorScope())
                {
                    var (images, labels) = Batch(data, indices.AsSpan(start, count));
                    var predicted = Model.Forward(images).ArgMax(1).ToArray();
                    for (int i = 0; i < count; i++)
                    {
                        if ((int)predicted[i] == labels[i])
                        {
                            correct++;
                        }
                    }
                }
            }
        }
        Model.Train(wasTraining);
        return data.Count == 0 ? double.NaN : (double)correct / data.Count;
    }
}
