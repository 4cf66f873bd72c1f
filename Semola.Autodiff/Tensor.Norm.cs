using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    private static void CheckChannelVector(string op, string what, Tensor? t, int channels)
    {
        if (t is not null && (t.Rank != 1 || t._shape[0] != channels))
        {
            throw new ArgumentException($"{op}: {what} must have shape [{channels}], got {t.ShapeString}.");
        }
    }

    /// <summary>
    /// Batch normalisation over axis 1 of an [N, C, ...] tensor. In training mode each channel is
    /// normalised with its batch mean and biased variance (one fused kernel forward and backward), and
    /// <paramref name="runningMean"/>/<paramref name="runningVar"/>, when given, are updated in place
    /// with <paramref name="momentum"/> and the unbiased variance. In evaluation mode the running
    /// statistics normalise instead (composed from differentiable ops). <paramref name="weight"/> (gamma)
    /// and <paramref name="bias"/> (beta) are optional [C] tensors.
    /// </summary>
    public Tensor BatchNorm(Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, bool training, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNormCore(nameof(BatchNorm), false, weight, bias, runningMean, runningVar, training, momentum, eps);

    /// <summary>
    /// <c>BatchNorm(...).Relu()</c> as one op: in training mode the normalisation, affine map and
    /// ReLU run as one fused kernel forward and one backward (the ReLU mask is taken from the
    /// output), saving the ReLU's separate passes over the activations and its intermediate tensor.
    /// In evaluation mode it is composed from <see cref="BatchNorm"/> and <see cref="Relu"/>.
    /// Arguments as in <see cref="BatchNorm"/>.
    /// </summary>
    public Tensor BatchNormRelu(Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, bool training, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNormCore(nameof(BatchNormRelu), true, weight, bias, runningMean, runningVar, training, momentum, eps);

    private Tensor BatchNormCore(string op, bool relu, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, bool training, float momentum, float eps)
    {
        if (Rank < 2)
        {
            throw new ArgumentException($"{op}: expected an [N, C, ...] tensor, got shape {ShapeString}.");
        }
        int n = _shape[0], c = _shape[1];
        int inner = c == 0 || n == 0 ? 0 : Numel / (n * c);
        CheckChannelVector(op, "weight", weight, c);
        CheckChannelVector(op, "bias", bias, c);
        CheckChannelVector(op, "running mean", runningMean, c);
        CheckChannelVector(op, "running variance", runningVar, c);
        if ((runningMean is null) != (runningVar is null))
        {
            throw new ArgumentException($"{op}: pass both running statistics or neither.");
        }
        if (!training)
        {
            if (runningMean is null || runningVar is null)
            {
                throw new ArgumentException($"{op}: evaluation mode needs running statistics.");
            }
            var stats = new int[Rank];
            Array.Fill(stats, 1);
            stats[1] = c;
            Tensor scale, shift;
            using (GradMode.NoGrad())
            {
                scale = runningVar.Detach().Add(eps).Pow(-0.5f);
                shift = runningMean.Detach().Mul(scale).Neg();
            }
            if (weight is not null)
            {
                scale = scale.Mul(weight);
                shift = shift.Mul(weight);
            }
            if (bias is not null)
            {
                shift = shift.Add(bias);
            }
            var normalised = Mul(scale.Reshape(stats)).Add(shift.Reshape(stats));
            return relu ? normalised.Relu() : normalised;
        }
        if (runningMean is not null && (!runningMean.IsContiguous || !runningVar!.IsContiguous || runningMean.Offset != 0 || runningVar.Offset != 0))
        {
            throw new ArgumentException($"{op}: running statistics must be contiguous from offset 0 (they are updated in place).");
        }
        if (n * inner < 2 && runningMean is not null)
        {
            throw new ArgumentException($"{op}: training needs more than one value per channel, got input {ShapeString}.");
        }
        var x = ContiguousRaw();
        var w = weight?.ContiguousRaw();
        var b = bias?.ContiguousRaw();
        var y = Empty(_shape, Device);
        var mean = Empty([c], Device);
        var invStd = Empty([c], Device);
        if (relu)
        {
            Backend.BatchNormReluForward(x.Buffer, n, c, inner, w?.Buffer, b?.Buffer, eps, y.Buffer, mean.Buffer, invStd.Buffer,
                runningMean?.Buffer, runningVar?.Buffer, momentum);
        }
        else
        {
            Backend.BatchNormForward(x.Buffer, n, c, inner, w?.Buffer, b?.Buffer, eps, y.Buffer, mean.Buffer, invStd.Buffer,
                runningMean?.Buffer, runningVar?.Buffer, momentum);
        }
        var inputs = new List<Tensor> { this };
        if (weight is not null)
        {
            inputs.Add(weight);
        }
        if (bias is not null)
        {
            inputs.Add(bias);
        }
        var self = this;
        return Record(op, y, inputs.ToArray(), grad =>
        {
            var gy = grad.ContiguousRaw();
            var dx = Empty(self._shape, self.Device);
            var dgamma = weight is not null && weight._requiresGrad ? Empty([c], self.Device) : null;
            var dbeta = bias is not null && bias._requiresGrad ? Empty([c], self.Device) : null;
            if (relu)
            {
                self.Backend.BatchNormReluBackward(x.Buffer, y.Buffer, gy.Buffer, n, c, inner, w?.Buffer, mean.Buffer, invStd.Buffer, dx.Buffer, dgamma?.Buffer, dbeta?.Buffer);
            }
            else
            {
                self.Backend.BatchNormBackward(x.Buffer, gy.Buffer, n, c, inner, w?.Buffer, mean.Buffer, invStd.Buffer, dx.Buffer, dgamma?.Buffer, dbeta?.Buffer);
            }
            var result = new List<Tensor?> { self._requiresGrad ? dx : null };
            if (weight is not null)
            {
                result.Add(dgamma);
            }
            if (bias is not null)
            {
                result.Add(dbeta);
            }
            return result.ToArray();
        });
    }

    /// <summary>
    /// Inverted dropout: zeroes each element with probability <paramref name="p"/> (drawn from
    /// <paramref name="rng"/>) and scales the rest by 1 / (1 - p), so the expectation is unchanged.
    /// </summary>
    public Tensor Dropout(float p, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: the drop probability must be in [0, 1).");
        }
        if (p == 0f)
        {
            return this;
        }
        var mask = new float[Numel];
        float keep = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < p ? 0f : keep;
        }
        return Mul(FromArray(mask, _shape, Device));
    }
}
