using Semola.Kernels;

namespace Semola.Autodiff;

/// <summary>Loss functions (each returns a scalar tensor: the mean over the batch).</summary>
public static class Losses
{
    /// <summary>
    /// Mean cross-entropy of logits [batch, classes] against integer labels, fused with log-softmax.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"CrossEntropy: logits must be [batch, classes], got {logits.ShapeString}.");
        }
        int batch = logits.Dims[0], classes = logits.Dims[1];
        if (labels.Length != batch)
        {
            throw new ArgumentException($"CrossEntropy: {labels.Length} labels for logits {logits.ShapeString}.");
        }
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentException($"CrossEntropy: label {labels[b]} of sample {b} is outside [0, {classes}) for logits {logits.ShapeString}.");
            }
        }
        var x = logits.Contiguous().Detach();
        if (x.Offset != 0)
        {
            x = x.UnaryRaw(UnaryOp.Identity);
        }
        var backend = logits.Device.Backend;
        var probs = Tensor.Zeros([batch, classes], logits.Device);
        var perSample = Tensor.Zeros([batch], logits.Device);
        var lab = (int[])labels.Clone();
        backend.CrossEntropy(x.Buffer, lab, batch, classes, perSample.Buffer, probs.Buffer);
        var loss = perSample.Detach().Mean();
        return Tensor.Record(nameof(CrossEntropy), loss, [logits], g =>
        {
            var dloss = Tensor.Full([batch], g.Item() / Math.Max(batch, 1), logits.Device);
            var dx = Tensor.Zeros([batch, classes], logits.Device);
            backend.CrossEntropyBackward(probs.Buffer, lab, dloss.Buffer, batch, classes, dx.Buffer);
            return [dx];
        });
    }

    /// <summary>Mean squared error between <paramref name="prediction"/> and <paramref name="target"/> (same shape).</summary>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"Mse: prediction {prediction.ShapeString} and target {target.ShapeString} differ in shape.");
        }
        return prediction.Sub(target).Square().Mean();
    }

    /// <summary>
    /// KL(P || Q) between the class distributions given by logits [batch, classes], summed over
    /// classes and averaged over the batch.
    /// </summary>
    public static Tensor KlDivergence(Tensor logitsP, Tensor logitsQ)
    {
        ArgumentNullException.ThrowIfNull(logitsP);
        ArgumentNullException.ThrowIfNull(logitsQ);
        if (logitsP.Rank != 2 || !logitsP.Shape.SequenceEqual(logitsQ.Shape))
        {
            throw new ArgumentException($"KlDivergence: logits must both be [batch, classes], got {logitsP.ShapeString} and {logitsQ.ShapeString}.");
        }
        var logP = logitsP.LogSoftmax(1);
        var logQ = logitsQ.LogSoftmax(1);
        return logP.Exp().Mul(logP.Sub(logQ)).Sum(1).Mean();
    }
}
