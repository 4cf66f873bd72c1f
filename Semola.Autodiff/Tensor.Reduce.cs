using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    internal int NormalizeAxis(string op, int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Math.Max(Rank, 1) || (Rank == 0 && axis != 0 && axis != -1))
        {
            throw new ArgumentException($"{op}: axis {axis} is out of range for a tensor of shape {ShapeString}.");
        }
        return a;
    }

    private int[] NormalizeAxes(string op, int[]? axes)
    {
        if (axes is null || axes.Length == 0)
        {
            return Enumerable.Range(0, Rank).ToArray();
        }
        var result = axes.Select(a => NormalizeAxis(op, a)).Distinct().OrderBy(a => a).ToArray();
        if (result.Length != axes.Length)
        {
            throw new ArgumentException($"{op}: repeated axis in [{string.Join(", ", axes)}].");
        }
        return result;
    }

    /// <summary>Reduces one axis of a contiguous tensor, keeping the axis as size 1.</summary>
    internal Tensor ReduceAxisRaw(ReduceOp op, int axis)
    {
        var x = IsContiguous ? this : UnaryRaw(UnaryOp.Identity);
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= _shape[i];
        }
        for (int i = axis + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }
        var outShape = (int[])_shape.Clone();
        outShape[axis] = 1;
        var y = Empty(outShape, Device);
        if (x.Offset != 0)
        {
            x = x.UnaryRaw(UnaryOp.Identity);
        }
        Backend.Reduce(op, x.Buffer, outer, _shape[axis], inner, y.Buffer);
        return y;
    }

    private Tensor ReduceRaw(ReduceOp op, int[] axes)
    {
        var t = this;
        for (int i = axes.Length - 1; i >= 0; i--)
        {
            t = t.ReduceAxisRaw(op, axes[i]);
        }
        return t;
    }

    private static int[] DropAxes(int[] shape, int[] axes)
    {
        var keep = new List<int>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (Array.IndexOf(axes, i) < 0)
            {
                keep.Add(shape[i]);
            }
        }
        return keep.ToArray();
    }

    /// <summary>Sum over <paramref name="axes"/> (all when null or empty).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false)
    {
        var ax = NormalizeAxes(nameof(Sum), axes);
        var kept = ReduceRaw(ReduceOp.Sum, ax);
        var y = keepDims ? kept : kept.ViewAs(DropAxes(_shape, ax));
        return Record(nameof(Sum), y, [this], g => [g.ViewAs(kept._shape).Expand(_shape)]);
    }

    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDims = false) => Sum([axis], keepDims);

    /// <summary>Mean over <paramref name="axes"/> (all when null or empty).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDims = false)
    {
        var ax = NormalizeAxes(nameof(Mean), axes);
        int count = 1;
        foreach (int a in ax)
        {
            count *= _shape[a];
        }
        return Sum(ax, keepDims).Mul(1f / Math.Max(count, 1));
    }

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    /// <summary>Maximum over <paramref name="axis"/> (the gradient is shared among tied maxima).</summary>
    public Tensor Max(int axis, bool keepDims = false)
    {
        int a = NormalizeAxis(nameof(Max), axis);
        var kept = ReduceAxisRaw(ReduceOp.Max, a);
        var y = keepDims ? kept : kept.ViewAs(DropAxes(_shape, [a]));
        return Record(nameof(Max), y, [this], g =>
        {
            var mask = BinaryRaw(nameof(Max), BinaryOp.GreaterEqual, this, kept);
            var count = mask.ReduceAxisRaw(ReduceOp.Sum, a);
            return [mask.Mul(g.ViewAs(kept._shape).Div(count))];
        });
    }

    /// <summary>Maximum of all elements.</summary>
    public Tensor Max() => Reshape([Numel]).Max(0);

    /// <summary>Minimum over <paramref name="axis"/> (not differentiable; use -(-x).Max for gradients).</summary>
    public Tensor Min(int axis, bool keepDims = false)
    {
        int a = NormalizeAxis(nameof(Min), axis);
        var kept = ReduceAxisRaw(ReduceOp.Min, a);
        return keepDims ? kept : kept.ViewAs(DropAxes(_shape, [a]));
    }

    /// <summary>Index of the first maximum along <paramref name="axis"/>, as floats (not differentiable).</summary>
    public Tensor ArgMax(int axis, bool keepDims = false)
    {
        int a = NormalizeAxis(nameof(ArgMax), axis);
        var kept = ReduceAxisRaw(ReduceOp.ArgMax, a);
        return keepDims ? kept : kept.ViewAs(DropAxes(_shape, [a]));
    }

    /// <summary>
    /// Sums a (broadcast) gradient down to <paramref name="shape"/>: extra leading dimensions and
    /// dimensions where <paramref name="shape"/> has size 1 are summed. This is the single place that
    /// undoes broadcasting for every op.
    /// </summary>
    internal Tensor SumToShape(int[] shape)
    {
        if (_shape.AsSpan().SequenceEqual(shape))
        {
            return this;
        }
        int lead = Rank - shape.Length;
        if (lead < 0)
        {
            throw new ArgumentException($"SumToShape: cannot reduce {ShapeString} to the larger rank {Layout.Format(shape)}.");
        }
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead)
            {
                axes.Add(i);
            }
            else if (shape[i - lead] == 1 && _shape[i] != 1)
            {
                axes.Add(i);
            }
            else if (shape[i - lead] != _shape[i])
            {
                throw new ArgumentException($"SumToShape: {ShapeString} does not broadcast from {Layout.Format(shape)}.");
            }
        }
        return ReduceRaw(ReduceOp.Sum, axes.ToArray()).ViewAs(shape);
    }
}
