using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

public sealed partial class IlgpuBackend
{
    private const int ReduceGroupSize = ReduceKernels.MaxGroup;

    private Action<AcceleratorStream, Index1D, int, ArrayView<float>, int, int, ArrayView<float>>? _reduceRow;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, int, int, ArrayView<float>>? _reduceGroup;
    private Action<AcceleratorStream, Index1D, int, ArrayView<float>, int, int, ArrayView<float>>? _softmax;
    private Action<AcceleratorStream, Index1D, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>? _softmaxBackward;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, int, ArrayView<float>>? _pickLoss;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>>? _ceBackward;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>? _indexSelect;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>? _indexAdd;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>? _indexAddOrdered;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, ArrayView<double>>? _sumOfSquares;

    /// <inheritdoc />
    public override void Reduce(ReduceOp op, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y)
    {
        if (n <= 0 && op != ReduceOp.Sum)
        {
            throw new ArgumentException($"{op}: cannot reduce an empty axis.");
        }
        if (op is < ReduceOp.Sum or > ReduceOp.ArgMax)
        {
            throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction.");
        }
        var xv = V(x, nameof(Reduce));
        var yv = V(y, nameof(Reduce));
        int outputs = outer * inner;
        if (outputs == 0)
        {
            return;
        }
        if (n >= 4 * GroupSize && outputs < 8192)
        {
            Kernel(ref _reduceGroup, a => a.LoadKernel<int, ArrayView<float>, int, int, ArrayView<float>>(ReduceKernels.ReduceGroup))(
                Stream, new KernelConfig(outputs, GroupSize), (int)op, xv, n, inner, yv);
            return;
        }
        Kernel(ref _reduceRow, a => a.LoadAutoGroupedKernel<Index1D, int, ArrayView<float>, int, int, ArrayView<float>>(ReduceKernels.ReduceRow))(
            Stream, outputs, (int)op, xv, n, inner, yv);
    }

    /// <inheritdoc />
    public override void Softmax(bool log, DeviceBuffer x, int outer, int n, int inner, DeviceBuffer y)
    {
        var xv = V(x, nameof(Softmax));
        var yv = V(y, nameof(Softmax));
        if (outer * inner == 0 || n == 0)
        {
            return;
        }
        Kernel(ref _softmax, a => a.LoadAutoGroupedKernel<Index1D, int, ArrayView<float>, int, int, ArrayView<float>>(ReduceKernels.Softmax))(
            Stream, outer * inner, log ? 1 : 0, xv, n, inner, yv);
    }

    /// <inheritdoc />
    public override void SoftmaxBackward(bool log, DeviceBuffer y, DeviceBuffer dy, int outer, int n, int inner, DeviceBuffer dx)
    {
        var yv = V(y, nameof(SoftmaxBackward));
        var gv = V(dy, nameof(SoftmaxBackward));
        var dv = V(dx, nameof(SoftmaxBackward));
        if (outer * inner == 0 || n == 0)
        {
            return;
        }
        Kernel(ref _softmaxBackward, a => a.LoadAutoGroupedKernel<Index1D, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(ReduceKernels.SoftmaxBackward))(
            Stream, outer * inner, log ? 1 : 0, yv, gv, n, inner, dv);
    }

    private static void CheckLabels(int[] labels, int batch, int classes, string op)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length < batch)
        {
            throw new ArgumentException($"{op}: {labels.Length} labels for a batch of {batch}.");
        }
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentException($"{op}: label {labels[b]} of sample {b} is outside [0, {classes}).");
            }
        }
    }

    /// <inheritdoc />
    public override void CrossEntropy(DeviceBuffer logits, int[] labels, int batch, int classes, DeviceBuffer loss, DeviceBuffer probs)
    {
        CheckLabels(labels, batch, classes, nameof(CrossEntropy));
        var lossView = V(loss, nameof(CrossEntropy));
        Softmax(true, logits, batch, classes, 1, probs);
        if (batch == 0)
        {
            return;
        }
        var labelView = UploadInts(labels.AsSpan(0, batch));
        Kernel(ref _pickLoss, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, int, ArrayView<float>>(ReduceKernels.PickLoss))(
            Stream, batch, V(probs, nameof(CrossEntropy)), labelView, classes, lossView);
        RunUnaryContiguous(default(Ops.ExpOp), probs, probs, batch * classes);
    }

    /// <inheritdoc />
    public override void CrossEntropyBackward(DeviceBuffer probs, int[] labels, DeviceBuffer dloss, int batch, int classes, DeviceBuffer dx)
    {
        CheckLabels(labels, batch, classes, nameof(CrossEntropyBackward));
        var pv = V(probs, nameof(CrossEntropyBackward));
        var gv = V(dloss, nameof(CrossEntropyBackward));
        var dv = V(dx, nameof(CrossEntropyBackward));
        if (batch * classes == 0)
        {
            return;
        }
        var labelView = UploadInts(labels.AsSpan(0, batch));
        Kernel(ref _ceBackward, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>>(ReduceKernels.CrossEntropyBackward))(
            Stream, batch * classes, pv, labelView, gv, classes, dv);
    }

    private static void CheckIndex(int[] index, int n, string op)
    {
        ArgumentNullException.ThrowIfNull(index);
        for (int j = 0; j < index.Length; j++)
        {
            if ((uint)index[j] >= (uint)n)
            {
                throw new ArgumentException($"{op}: index {index[j]} at position {j} is outside [0, {n}).");
            }
        }
    }

    /// <inheritdoc />
    public override void IndexSelect(DeviceBuffer x, int outer, int n, int inner, int[] index, DeviceBuffer y)
    {
        CheckIndex(index, n, nameof(IndexSelect));
        var xv = V(x, nameof(IndexSelect));
        var yv = V(y, nameof(IndexSelect));
        int total = outer * index.Length * inner;
        if (total == 0)
        {
            return;
        }
        var iv = UploadInts(index);
        Kernel(ref _indexSelect, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>(ReduceKernels.IndexSelect))(
            Stream, total, xv, n, inner, iv, index.Length, yv);
    }

    /// <inheritdoc />
    public override void IndexAdd(DeviceBuffer dy, int outer, int n, int inner, int[] index, DeviceBuffer dx)
    {
        CheckIndex(index, n, nameof(IndexAdd));
        var gv = V(dy, nameof(IndexAdd));
        var dv = V(dx, nameof(IndexAdd));
        int total = outer * index.Length * inner;
        if (total == 0)
        {
            return;
        }
        var iv = UploadInts(index);
        if (Deterministic)
        {
            Kernel(ref _indexAddOrdered, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>(ReduceKernels.IndexAddOrdered))(
                Stream, outer * n * inner, gv, n, inner, iv, index.Length, dv);
            return;
        }
        Kernel(ref _indexAdd, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, int, ArrayView<int>, int, ArrayView<float>>(ReduceKernels.IndexAdd))(
            Stream, total, gv, n, inner, iv, index.Length, dv);
    }

    /// <inheritdoc />
    public override double SumOfSquares(DeviceBuffer x, int offset, int count)
    {
        var xv = V(x, nameof(SumOfSquares));
        if (count <= 0)
        {
            return 0;
        }
        int groups = Math.Clamp((count + GroupSize * 8 - 1) / (GroupSize * 8), 1, 1024);
        var partial = DoubleScratch(groups);
        Kernel(ref _sumOfSquares, a => a.LoadKernel<ArrayView<float>, int, int, ArrayView<double>>(ReduceKernels.SumOfSquares))(
            Stream, new KernelConfig(groups, GroupSize), xv, offset, count, partial);
        var host = new double[groups];
        partial.SubView(0, groups).CopyToCPU(Stream, host);
        Stream.Synchronize();
        double total = 0;
        foreach (double v in host)
        {
            total += v;
        }
        return total;
    }
}
