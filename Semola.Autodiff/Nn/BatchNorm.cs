namespace Semola.Autodiff.Nn;

/// <summary>
/// Batch normalisation over axis 1 of [N, C, ...] activations (Ioffe and Szegedy, 2015). Training
/// normalises with the batch mean and biased variance and updates the running mean and unbiased
/// variance with <see cref="Momentum"/>; evaluation normalises with the running statistics. Learned
/// scale "weight" (gamma, ones) and shift "bias" (beta, zeros) when affine; buffers "running_mean"
/// (zeros) and "running_var" (ones).
/// </summary>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    protected BatchNorm(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Init.Constant([numFeatures], 1f));
            Bias = RegisterParameter("bias", Init.Constant([numFeatures], 0f));
        }
        using (TensorScope.Suspend())
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
        }
    }

    /// <summary>Number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>Weight of the newest batch in the running statistics, in (0, 1].</summary>
    public float Momentum
    {
        get => _momentum;
        set
        {
            if (!(value > 0f && value <= 1f))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The batch-norm momentum must lie in (0, 1].");
            }
            _momentum = value;
        }
    }

    private float _momentum;

    /// <summary>Resets the running statistics to their initial values (mean 0, variance 1).</summary>
    public void ResetRunningStatistics()
    {
        RunningMean.Backend.Fill(RunningMean.Buffer, RunningMean.Offset, NumFeatures, 0f);
        RunningVar.Backend.Fill(RunningVar.Buffer, RunningVar.Offset, NumFeatures, 1f);
    }

    /// <summary>Gamma [C], or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>Beta [C], or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [C].</summary>
    public Tensor RunningVar { get; }

    /// <summary>True for the input ranks this layer accepts.</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): input {input.ShapeString} has the wrong rank or channel count.");
        }
        return input.BatchNorm(Weight, Bias, RunningMean, RunningVar, IsTraining, Momentum, Eps);
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({NumFeatures})";
}
