using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    private Tensor ContiguousRaw() => IsContiguous && Offset == 0 ? this : UnaryRaw(UnaryOp.Identity);

    private void RequireRank(string op, int rank, string layout)
    {
        if (Rank != rank)
        {
            throw new ArgumentException($"{op}: expected a rank-{rank} tensor {layout}, got shape {ShapeString}.");
        }
    }

    /// <summary>
    /// 2D convolution (cross-correlation) of NCHW input with weight [OutC, C, KH, KW], zero padding,
    /// no bias (add one by broadcasting).
    /// </summary>
    public Tensor Conv2d(Tensor weight, int stride = 1, int padding = 0) => Conv2d(weight, stride, stride, padding, padding);

    /// <summary>2D convolution with separate vertical and horizontal stride and padding.</summary>
    public Tensor Conv2d(Tensor weight, int strideH, int strideW, int padH, int padW)
    {
        const string op = nameof(Conv2d);
        CheckSameDevice(op, this, weight);
        RequireRank(op, 4, "[N, C, H, W]");
        if (weight.Rank != 4 || weight._shape[1] != _shape[1])
        {
            throw new ArgumentException($"{op}: weight {weight.ShapeString} does not fit input {ShapeString} (expected [OutC, {_shape[1]}, KH, KW]).");
        }
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
        {
            throw new ArgumentException($"{op}: stride ({strideH}, {strideW}) must be positive and padding ({padH}, {padW}) non-negative.");
        }
        var g = new Conv2dGeometry(_shape[0], _shape[1], _shape[2], _shape[3], weight._shape[0], weight._shape[2], weight._shape[3], strideH, strideW, padH, padW);
        if (_shape[2] + 2 * padH < g.KH || _shape[3] + 2 * padW < g.KW)
        {
            throw new ArgumentException($"{op}: kernel {g.KH}x{g.KW} is larger than the padded input {ShapeString} (padding {padH}, {padW}).");
        }
        var x = ContiguousRaw();
        var w = weight.ContiguousRaw();
        var y = Empty([g.N, g.OutC, g.OH, g.OW], Device);
        Backend.Conv2dForward(g, x.Buffer, w.Buffer, y.Buffer);
        var self = this;
        return Record(op, y, [this, weight], grad =>
        {
            var gy = grad.ContiguousRaw();
            Tensor? dx = null, dw = null;
            if (self._requiresGrad)
            {
                dx = Empty(self._shape, self.Device);
                self.Backend.Conv2dBackwardInput(g, gy.Buffer, w.Buffer, dx.Buffer);
            }
            if (weight._requiresGrad)
            {
                dw = Empty(weight._shape, weight.Device);
                self.Backend.Conv2dBackwardWeight(g, x.Buffer, gy.Buffer, dw.Buffer);
            }
            return [dx, dw];
        });
    }

    private Conv2dGeometry PoolGeometry(string op, int kernel, int stride, int padding)
    {
        RequireRank(op, 4, "[N, C, H, W]");
        if (kernel < 1 || stride < 1 || padding < 0 || padding * 2 > kernel)
        {
            throw new ArgumentException($"{op}: kernel {kernel}, stride {stride}, padding {padding} are invalid (padding may be at most half the kernel).");
        }
        if (_shape[2] + 2 * padding < kernel || _shape[3] + 2 * padding < kernel)
        {
            throw new ArgumentException($"{op}: kernel {kernel} is larger than the padded input {ShapeString}.");
        }
        return new Conv2dGeometry(_shape[0], _shape[1], _shape[2], _shape[3], _shape[1], kernel, kernel, stride, stride, padding, padding);
    }

    /// <summary>Max pooling over kernel x kernel windows (stride defaults to the kernel).</summary>
    public Tensor MaxPool2d(int kernel, int stride = 0, int padding = 0)
    {
        var g = PoolGeometry(nameof(MaxPool2d), kernel, stride == 0 ? kernel : stride, padding);
        var x = ContiguousRaw();
        var y = Empty([g.N, g.C, g.OH, g.OW], Device);
        Backend.MaxPool2dForward(g, x.Buffer, y.Buffer);
        return Record(nameof(MaxPool2d), y, [this], grad =>
        {
            var dx = Empty(_shape, Device);
            Backend.MaxPool2dBackward(g, x.Buffer, grad.ContiguousRaw().Buffer, dx.Buffer);
            return [dx];
        });
    }

    /// <summary>Average pooling over kernel x kernel windows (zero padding counted; stride defaults to the kernel).</summary>
    public Tensor AvgPool2d(int kernel, int stride = 0, int padding = 0)
    {
        var g = PoolGeometry(nameof(AvgPool2d), kernel, stride == 0 ? kernel : stride, padding);
        var x = ContiguousRaw();
        var y = Empty([g.N, g.C, g.OH, g.OW], Device);
        Backend.AvgPool2dForward(g, x.Buffer, y.Buffer);
        return Record(nameof(AvgPool2d), y, [this], grad =>
        {
            var dx = Empty(_shape, Device);
            Backend.AvgPool2dBackward(g, grad.ContiguousRaw().Buffer, dx.Buffer);
            return [dx];
        });
    }

    /// <summary>Mean over the spatial dimensions: [N, C, H, W] -> [N, C].</summary>
    public Tensor GlobalAvgPool2d()
    {
        RequireRank(nameof(GlobalAvgPool2d), 4, "[N, C, H, W]");
        return Mean([2, 3]);
    }

    private (int Outer, int N, int Inner) SplitAxis(int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= _shape[i];
        }
        for (int i = axis + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }
        return (outer, _shape[axis], inner);
    }

    private Tensor SoftmaxImpl(string op, bool log, int axis)
    {
        int a = NormalizeAxis(op, axis);
        var (outer, n, inner) = SplitAxis(a);
        var x = ContiguousRaw();
        var y = Empty(_shape, Device);
        Backend.Softmax(log, x.Buffer, outer, n, inner, y.Buffer);
        return Record(op, y, [this], grad =>
        {
            var dx = Empty(_shape, Device);
            Backend.SoftmaxBackward(log, y.Buffer, grad.ContiguousRaw().Buffer, outer, n, inner, dx.Buffer);
            return [dx];
        });
    }

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public Tensor Softmax(int axis = -1) => SoftmaxImpl(nameof(Softmax), false, axis);

    /// <summary>Log-softmax along <paramref name="axis"/> (stable).</summary>
    public Tensor LogSoftmax(int axis = -1) => SoftmaxImpl(nameof(LogSoftmax), true, axis);
}
