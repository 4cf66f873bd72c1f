using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    /// <summary>A view with new shape/strides sharing this tensor's memory (no recording).</summary>
    internal Tensor AsStrided(int[] shape, int[] strides, int offset) => new(Buffer, shape, strides, offset);

    /// <summary>Reinterprets a tensor as <paramref name="shape"/> (no recording; copies if not contiguous).</summary>
    internal Tensor ViewAs(int[] shape)
    {
        if (IsContiguous)
        {
            return AsStrided((int[])shape.Clone(), Layout.ContiguousStrides(shape), Offset);
        }
        return UnaryRaw(UnaryOp.Identity).ViewAs(shape);
    }

    private int[] ResolveShape(string op, int[] shape)
    {
        var result = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0)
                {
                    throw new ArgumentException($"{op}: only one dimension of {Layout.Format(shape)} may be -1.");
                }
                infer = i;
            }
            else if (result[i] < 0)
            {
                throw new ArgumentException($"{op}: invalid dimension {result[i]} in {Layout.Format(shape)}.");
            }
            else
            {
                known *= result[i];
            }
        }
        if (infer >= 0)
        {
            if (known == 0 || Numel % known != 0)
            {
                throw new ArgumentException($"{op}: cannot reshape {ShapeString} ({Numel} elements) to {Layout.Format(shape)}.");
            }
            result[infer] = (int)(Numel / known);
            known *= result[infer];
        }
        if (known != Numel)
        {
            throw new ArgumentException($"{op}: cannot reshape {ShapeString} ({Numel} elements) to {Layout.Format(shape)}.");
        }
        return result;
    }

    /// <summary>The same elements in a new shape (one dimension may be -1). A view when contiguous.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var target = ResolveShape(nameof(Reshape), shape);
        var y = ViewAs(target);
        return Record(nameof(Reshape), y, [this], g => [g.ViewAs(_shape)]);
    }

    /// <summary>Flattens dimensions from <paramref name="startAxis"/> on into one.</summary>
    public Tensor Flatten(int startAxis = 1)
    {
        int s = NormalizeAxis(nameof(Flatten), startAxis);
        var shape = _shape.Take(s).Append(-1).ToArray();
        return Reshape(shape);
    }

    /// <summary>Reorders dimensions (a view).</summary>
    public Tensor Permute(params int[] order)
    {
        if (order.Length != Rank)
        {
            throw new ArgumentException($"Permute: order [{string.Join(", ", order)}] has {order.Length} axes for a tensor of shape {ShapeString}.");
        }
        var norm = order.Select(a => NormalizeAxis(nameof(Permute), a)).ToArray();
        if (norm.Distinct().Count() != Rank)
        {
            throw new ArgumentException($"Permute: order [{string.Join(", ", order)}] is not a permutation of the axes of {ShapeString}.");
        }
        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            shape[i] = _shape[norm[i]];
            strides[i] = _strides[norm[i]];
            inverse[norm[i]] = i;
        }
        var y = AsStrided(shape, strides, Offset);
        return Record(nameof(Permute), y, [this], g => [g.Permute(inverse)]);
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int axis0 = -2, int axis1 = -1)
    {
        int a = NormalizeAxis(nameof(Transpose), axis0), b = NormalizeAxis(nameof(Transpose), axis1);
        var order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The elements [start, start + length) along <paramref name="axis"/> (a view).</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = NormalizeAxis(nameof(Narrow), axis);
        if (start < 0 || length < 0 || start + length > _shape[a])
        {
            throw new ArgumentException($"Narrow: range [{start}, {start + length}) is outside axis {axis} of size {(Rank > 0 ? _shape[a] : 0)} in shape {ShapeString}.");
        }
        var shape = (int[])_shape.Clone();
        shape[a] = length;
        var y = AsStrided(shape, _strides, Offset + start * _strides[a]);
        return Record(nameof(Narrow), y, [this], g =>
        {
            var full = Zeros(_shape, Device);
            var dst = full.AsStrided(shape, full._strides, start * full._strides[a]);
            Backend.Copy(shape, g.View, dst.View);
            return [full];
        });
    }

    /// <summary>Element <paramref name="index"/> along <paramref name="axis"/>, dropping that axis (a view).</summary>
    public Tensor Select(int axis, int index)
    {
        int a = NormalizeAxis(nameof(Select), axis);
        if (index < 0 || index >= _shape[a])
        {
            throw new ArgumentException($"Select: index {index} is outside axis {axis} of size {_shape[a]} in shape {ShapeString}.");
        }
        var shape = _shape.Where((_, i) => i != a).ToArray();
        return Narrow(a, index, 1).Reshape(shape);
    }

    /// <summary>Inserts a size-1 dimension at <paramref name="axis"/> (a view).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank)
        {
            throw new ArgumentException($"Unsqueeze: axis {axis} is out of range for shape {ShapeString}.");
        }
        var shape = _shape.ToList();
        shape.Insert(a, 1);
        return Reshape(shape.ToArray());
    }

    /// <summary>Removes a size-1 dimension at <paramref name="axis"/> (a view).</summary>
    public Tensor Squeeze(int axis)
    {
        int a = NormalizeAxis(nameof(Squeeze), axis);
        if (_shape[a] != 1)
        {
            throw new ArgumentException($"Squeeze: axis {axis} of shape {ShapeString} has size {_shape[a]}, not 1.");
        }
        return Reshape(_shape.Where((_, i) => i != a).ToArray());
    }

    /// <summary>Broadcasts to <paramref name="shape"/> without copying (size-1 and missing leading dims repeat).</summary>
    public Tensor Expand(params int[] shape)
    {
        var target = Broadcast.Shapes(nameof(Expand), _shape, shape);
        if (!target.AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException($"Expand: shape {ShapeString} cannot be expanded to {Layout.Format(shape)}.");
        }
        var y = AsStrided(target, Broadcast.Strides(_shape, _strides, target), Offset);
        return Record(nameof(Expand), y, [this], g => [g]); // the tape sums the gradient back to our shape
    }

    /// <summary>Joins tensors of equal shape except along <paramref name="axis"/>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Concat: no tensors given.");
        }
        var first = tensors[0];
        int a = first.NormalizeAxis(nameof(Concat), axis);
        var shape = (int[])first._shape.Clone();
        shape[a] = 0;
        foreach (var t in tensors)
        {
            CheckSameDevice(nameof(Concat), first, t);
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < t.Rank; i++)
            {
                ok = i == a || t._shape[i] == first._shape[i];
            }
            if (!ok)
            {
                throw new ArgumentException($"Concat: shapes {first.ShapeString} and {t.ShapeString} differ outside axis {axis}.");
            }
            shape[a] += t._shape[a];
        }
        var y = Empty(shape, first.Device);
        int offset = 0;
        var starts = new int[tensors.Count];
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k];
            starts[k] = offset;
            var dst = y.AsStrided(t._shape, y._strides, offset * y._strides[a]);
            first.Backend.Copy(t._shape, t.View, dst.View);
            offset += t._shape[a];
        }
        var inputs = tensors.ToArray();
        return Record(nameof(Concat), y, inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
            {
                grads[k] = inputs[k]._requiresGrad ? g.Narrow(a, starts[k], inputs[k]._shape[a]) : null;
            }
            return grads;
        });
    }

    /// <summary>Stacks tensors of equal shape along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Stack: no tensors given.");
        }
        foreach (var t in tensors)
        {
            if (!t._shape.AsSpan().SequenceEqual(tensors[0]._shape))
            {
                throw new ArgumentException($"Stack: shapes {tensors[0].ShapeString} and {t.ShapeString} differ.");
            }
        }
        return Concat(tensors.Select(t => t.Unsqueeze(axis)).ToArray(), axis);
    }

    /// <summary>Picks entries <paramref name="index"/> along <paramref name="axis"/> (a gather; repeats allowed).</summary>
    public Tensor IndexSelect(int axis, int[] index)
    {
        int a = NormalizeAxis(nameof(IndexSelect), axis);
        foreach (int i in index)
        {
            if (i < 0 || i >= _shape[a])
            {
                throw new ArgumentException($"IndexSelect: index {i} is outside axis {axis} of size {_shape[a]} in shape {ShapeString}.");
            }
        }
        var x = IsContiguous && Offset == 0 ? this : UnaryRaw(UnaryOp.Identity);
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++)
        {
            outer *= _shape[i];
        }
        for (int i = a + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }
        var shape = (int[])_shape.Clone();
        shape[a] = index.Length;
        var y = Empty(shape, Device);
        Backend.IndexSelect(x.Buffer, outer, _shape[a], inner, index, y.Buffer);
        var idx = (int[])index.Clone();
        return Record(nameof(IndexSelect), y, [this], g =>
        {
            var gc = g.IsContiguous && g.Offset == 0 ? g : g.UnaryRaw(UnaryOp.Identity);
            var dx = Zeros(_shape, Device);
            Backend.IndexAdd(gc.Buffer, outer, _shape[a], inner, idx, dx.Buffer);
            return [dx];
        });
    }
}
