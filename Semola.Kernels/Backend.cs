namespace Semola.Kernels;

/// <summary>
/// The kernel set every device implements. Kernels know nothing of gradients: Semola.Autodiff
/// composes forward and backward passes from them. All data is float32; buffers passed as outputs
/// are written, never read, unless the method says it accumulates.
/// </summary>
public abstract class Backend : IDisposable
{
    private long _liveBuffers;
    private long _liveElements;

    /// <summary>Creates a backend for <paramref name="device"/>.</summary>
    protected Backend(Device device) => Device = device;

    /// <summary>The device this backend serves.</summary>
    public Device Device { get; }

    /// <summary>Buffers allocated and not yet released (tests assert it returns to baseline).</summary>
    public long LiveBuffers => Interlocked.Read(ref _liveBuffers);

    /// <summary>Elements held by live buffers.</summary>
    public long LiveElements => Interlocked.Read(ref _liveElements);

    /// <summary>Records an allocation in the live counters.</summary>
    protected void CountAllocation(int length)
    {
        Interlocked.Increment(ref _liveBuffers);
        Interlocked.Add(ref _liveElements, length);
    }

    /// <summary>Records a release in the live counters.</summary>
    protected void CountRelease(int length)
    {
        Interlocked.Decrement(ref _liveBuffers);
        Interlocked.Add(ref _liveElements, -length);
    }

    // ---- memory -------------------------------------------------------------------------

    /// <summary>Allocates a buffer of <paramref name="length"/> floats with unspecified contents.</summary>
    public abstract DeviceBuffer Allocate(int length);

    /// <summary>Copies host data into <paramref name="dst"/> at <paramref name="dstOffset"/>.</summary>
    public abstract void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset);

    /// <summary>Copies <paramref name="dst"/>.Length floats from <paramref name="src"/> at <paramref name="srcOffset"/> to the host.</summary>
    public abstract void Download(DeviceBuffer src, int srcOffset, Span<float> dst);

    /// <summary>Sets <paramref name="count"/> elements from <paramref name="offset"/> to <paramref name="value"/>.</summary>
    public abstract void Fill(DeviceBuffer dst, int offset, int count, float value);

    /// <summary>Copies a strided view into another strided view of the same shape.</summary>
    public abstract void Copy(int[] shape, StridedView src, StridedView dst);

    // ---- elementwise ---------------------------------------------------------------------

    /// <summary>y = op(x) over <paramref name="shape"/>; y is contiguous.</summary>
    public abstract void Unary(UnaryOp op, float p0, float p1, int[] shape, StridedView x, DeviceBuffer y);

    /// <summary>y = op(a, b) over <paramref name="shape"/> (broadcast through zero strides); y is contiguous.</summary>
    public abstract void Binary(BinaryOp op, float p0, float p1, int[] shape, StridedView a, StridedView b, DeviceBuffer y);

    // ---- reductions ----------------------------------------------------------------------

    /// <summary>
    /// Reduces contiguous x viewed as [outer, n, inner] along the middle axis into y [outer, inner].
    /// </summary>
    public abstract void Reduce(ReduceOp op, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y);

    /// <summary>Softmax (or log-softmax) of contiguous x viewed as [outer, n, inner] along the middle axis.</summary>
    public abstract void Softmax(bool log, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y);

    /// <summary>Backward of <see cref="Softmax"/> given its output y and the gradient dy.</summary>
    public abstract void SoftmaxBackward(bool log, DeviceBuffer y, DeviceBuffer dy, int outer, int n, int inner, DeviceBuffer dx);

    /// <summary>
    /// Cross-entropy of logits [batch, classes] with integer labels: loss[b] = -log softmax(x_b)[label_b];
    /// also writes the softmax probabilities for the backward pass.
    /// </summary>
    public abstract void CrossEntropy(DeviceBuffer logits, int[] labels, int batch, int classes, DeviceBuffer loss, DeviceBuffer probs);

    /// <summary>dx[b, c] = dloss[b] * (probs[b, c] - [c == label_b]).</summary>
    public abstract void CrossEntropyBackward(DeviceBuffer probs, int[] labels, DeviceBuffer dloss, int batch, int classes, DeviceBuffer dx);

    // ---- indexing ------------------------------------------------------------------------

    /// <summary>y[o, j, i] = x[o, index[j], i] for contiguous x [outer, n, inner], y [outer, index.Length, inner].</summary>
    public abstract void IndexSelect(DeviceBuffer x, int outer, int n, int inner, int[] index, DeviceBuffer y);

    /// <summary>dx[o, index[j], i] += dy[o, j, i]: the adjoint of <see cref="IndexSelect"/> (dx accumulates).</summary>
    public abstract void IndexAdd(DeviceBuffer dy, int outer, int n, int inner, int[] index, DeviceBuffer dx);

    // ---- dense linear algebra and convolution -------------------------------------------

    /// <summary>Batched GEMM (see <see cref="GemmArgs"/>).</summary>
    public abstract void Gemm(in GemmArgs args);

    /// <summary>y [N, OutC, OH, OW] = conv(x [N, C, H, W], w [OutC, C, KH, KW]).</summary>
    public abstract void Conv2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y);

    /// <summary>dx = gradient of the convolution w.r.t. its input (overwritten).</summary>
    public abstract void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx);

    /// <summary>dw = gradient of the convolution w.r.t. its weight (overwritten).</summary>
    public abstract void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw);

    /// <summary>Max pooling per channel (OutC = C); padding counts as minus infinity.</summary>
    public abstract void MaxPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y);

    /// <summary>dx (overwritten) routes dy to the first maximum of each window, recomputed from x.</summary>
    public abstract void MaxPool2dBackward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);

    /// <summary>Average pooling per channel (OutC = C); padding counts as zeros in the average.</summary>
    public abstract void AvgPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y);

    /// <summary>dx (overwritten) for <see cref="AvgPool2dForward"/>.</summary>
    public abstract void AvgPool2dBackward(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer dx);

    // ---- Lie group kernels -------------------------------------------------------------------

    /// <summary>expA[b] = exp(a[b]) for a contiguous batch of n x n matrices.</summary>
    public abstract void MatrixExp(DeviceBuffer a, int batch, int n, DeviceBuffer expA);

    /// <summary>
    /// gradA[b] = L(a[b]^T, gradOut[b]): the gradient of sum(gradOut * exp(a)) through the Frechet
    /// derivative of the matrix exponential (overwritten).
    /// </summary>
    public abstract void MatrixExpBackward(DeviceBuffer a, DeviceBuffer gradOut, int batch, int n, DeviceBuffer gradA);

    /// <summary>
    /// Resamples images [b, c, h, w] through affine maps theta [b, 2, 3] (output normalised coordinates
    /// in [-1, 1], align_corners = true, to input coordinates), bilinear with zero padding.
    /// </summary>
    public abstract void AffineGridSample(DeviceBuffer image, DeviceBuffer theta, int b, int c, int h, int w, DeviceBuffer output);

    /// <summary>
    /// Gradients of <see cref="AffineGridSample"/> w.r.t. the image and theta (both overwritten; either
    /// may be null to skip it).
    /// </summary>
    public abstract void AffineGridSampleBackward(DeviceBuffer image, DeviceBuffer theta, DeviceBuffer gradOut, int b, int c, int h, int w, DeviceBuffer? gradImage, DeviceBuffer? gradTheta);

    // ---- normalisation ---------------------------------------------------------------------

    /// <summary>
    /// Batch normalisation in training mode over contiguous x viewed as [n, c, inner]: per channel,
    /// the mean and the biased variance over n * inner elements normalise x, then y = gamma * xhat + beta
    /// (gamma and beta may be null: 1 and 0). Writes the mean and 1 / sqrt(var + eps) to
    /// <paramref name="saveMean"/> and <paramref name="saveInvStd"/> for the backward pass. When
    /// <paramref name="runningMean"/> and <paramref name="runningVar"/> are given they are updated in
    /// place: r = (1 - momentum) * r + momentum * batch statistic, with the unbiased variance.
    /// </summary>
    public abstract void BatchNormForward(DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum);

    /// <summary>
    /// Backward of <see cref="BatchNormForward"/> in one pass per channel: dx (overwritten) and, when
    /// not null, dgamma = sum(dy * xhat) and dbeta = sum(dy) (overwritten).
    /// </summary>
    public abstract void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta);

    /// <summary>
    /// <see cref="BatchNormForward"/> followed by ReLU: y = max(gamma * xhat + beta, 0), with the
    /// same statistics written and running statistics updated. This default runs the two existing
    /// kernels (batch norm, then ReLU in place on y); a backend may override it with one fused pass.
    /// </summary>
    public virtual void BatchNormReluForward(DeviceBuffer x, int n, int c, int inner, DeviceBuffer? gamma, DeviceBuffer? beta, float eps,
        DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer? runningMean, DeviceBuffer? runningVar, float momentum)
    {
        BatchNormForward(x, n, c, inner, gamma, beta, eps, y, saveMean, saveInvStd, runningMean, runningVar, momentum);
        int[] shape = [n * c * inner];
        Unary(UnaryOp.Relu, 0f, 0f, shape, StridedView.Contiguous(y, shape), y);
    }

    /// <summary>
    /// Backward of <see cref="BatchNormReluForward"/>: the upstream gradient dy is masked by y &gt; 0
    /// (y is the forward output) and back-propagated through the batch norm as in
    /// <see cref="BatchNormBackward"/> (dx, dgamma and dbeta overwritten). This default masks into
    /// a temporary buffer and runs the batch-norm backward kernel; a backend may fuse the two.
    /// </summary>
    public virtual void BatchNormReluBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, int n, int c, int inner, DeviceBuffer? gamma,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer? dgamma, DeviceBuffer? dbeta)
    {
        int length = n * c * inner;
        int[] shape = [length];
        using var masked = Allocate(length);
        Binary(BinaryOp.ReluBackward, 0f, 0f, shape, StridedView.Contiguous(y, shape), StridedView.Contiguous(dy, shape), masked);
        BatchNormBackward(x, masked, n, c, inner, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
    }

    // ---- optimizers --------------------------------------------------------------------------

    /// <summary>
    /// One Adam update of <paramref name="count"/> contiguous parameters in place, with moment buffers
    /// m and v (updated in place). <paramref name="step"/> counts from 1 (bias correction). With
    /// <paramref name="decoupled"/> the weight decay multiplies the parameter by (1 - lr * weightDecay)
    /// (AdamW); otherwise it adds weightDecay * p to the gradient (L2, Adam).
    /// </summary>
    public abstract void AdamStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer m, DeviceBuffer v, int count,
        float lr, float beta1, float beta2, float eps, float weightDecay, int step, bool decoupled);

    /// <summary>
    /// One SGD update in place: g = grad + weightDecay * p; with momentum, buf = g on the first step,
    /// else momentum * buf + (1 - dampening) * g, and g = buf (or g + momentum * buf with Nesterov);
    /// p -= lr * g. <paramref name="momentumBuffer"/> may be null when momentum is 0.
    /// </summary>
    public abstract void SgdStep(DeviceBuffer param, int paramOffset, DeviceBuffer grad, int gradOffset, DeviceBuffer? momentumBuffer, int count,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep);

    /// <summary>Sum of squares of <paramref name="count"/> contiguous elements from <paramref name="offset"/>, accumulated in double.</summary>
    public abstract double SumOfSquares(DeviceBuffer x, int offset, int count);

    /// <summary>Releases device resources.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
