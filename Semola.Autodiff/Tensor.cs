using System.Globalization;
using System.Text;
using Semola.Kernels;

namespace Semola.Autodiff;

/// <summary>
/// An n-dimensional float32 array on a device: storage (a <see cref="DeviceBuffer"/>) plus a layout
/// (shape, strides, offset), so reshapes, transposes, slices and broadcasts are O(1) views. Operations
/// record themselves on the tape when an input requires a gradient; <see cref="Backward"/> returns the
/// gradients of the leaves.
/// </summary>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int[] _strides;
    private bool _requiresGrad;

    internal Tensor(DeviceBuffer buffer, int[] shape, int[] strides, int offset)
    {
        Buffer = buffer;
        _shape = shape;
        _strides = strides;
        Offset = offset;
        Numel = Layout.Numel(shape);
    }

    /// <summary>The memory this tensor views.</summary>
    public DeviceBuffer Buffer { get; private set; }

    /// <summary>The device the tensor lives on.</summary>
    public Device Device => Buffer.Device;

    internal Backend Backend => Buffer.Device.Backend;

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Element strides per dimension.</summary>
    public IReadOnlyList<int> Strides => _strides;

    internal int[] Dims => _shape;

    internal int[] StrideArray => _strides;

    /// <summary>Element offset into <see cref="Buffer"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel { get; }

    /// <summary>True when the layout is row-major contiguous.</summary>
    public bool IsContiguous => Layout.IsContiguous(_shape, _strides);

    /// <summary>The shape formatted as [a, b, c].</summary>
    public string ShapeString => Layout.Format(_shape);

    /// <summary>An optional name (parameters carry theirs; error messages use it).</summary>
    public string? Name { get; set; }

    internal GradNode? Node { get; private set; }

    /// <summary>True for tensors not produced by a recorded op (parameters, inputs, constants).</summary>
    public bool IsLeaf => Node is null;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (parameters); results of recorded ops
    /// require a gradient when any input does.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Node is not null && !value)
            {
                throw new InvalidOperationException("RequiresGrad can only be cleared on a leaf tensor; use Detach() instead.");
            }
            _requiresGrad = value;
        }
    }

    internal StridedView View => new(Buffer, Offset, _strides);

    // ---- creation ------------------------------------------------------------------------

    internal static Tensor Empty(int[] shape, Device device)
    {
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape {Layout.Format(shape)} has a negative dimension.");
            }
        }
        var buffer = device.Backend.Allocate(Layout.Numel(shape));
        TensorScope.Register(buffer);
        return new Tensor(buffer, (int[])shape.Clone(), Layout.ContiguousStrides(shape), 0);
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value, Device? device = null)
    {
        var t = Empty(shape, device ?? Device.Cpu);
        t.Backend.Fill(t.Buffer, 0, t.Numel, value);
        return t;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, Device? device = null) => Full(shape, 0f, device);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(int[] shape, Device? device = null) => Full(shape, 1f, device);

    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value, Device? device = null) => Full([], value, device);

    /// <summary>start, start + step, ... below end (a 1-d tensor).</summary>
    public static Tensor Arange(float start, float end, float step = 1f, Device? device = null)
    {
        if (step == 0f || (end - start) / step < 0)
        {
            throw new ArgumentException($"Arange: cannot step from {start} to {end} by {step}.");
        }
        int n = (int)Math.Ceiling((end - start) / step);
        var data = new float[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = start + i * step;
        }
        return FromArray(data, [n], device);
    }

    /// <summary>Copies host data into a new tensor of <paramref name="shape"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, int[] shape, Device? device = null)
    {
        int numel = Layout.Numel(shape);
        if (data.Length != numel)
        {
            throw new ArgumentException($"FromArray: {data.Length} values do not fill shape {Layout.Format(shape)} ({numel} elements).");
        }
        var t = Empty(shape, device ?? Device.Cpu);
        t.Backend.Upload(data, t.Buffer, 0);
        return t;
    }

    /// <summary>Copies a 1-d host array into a new tensor.</summary>
    public static Tensor FromArray(float[] data, Device? device = null) => FromArray(data, [data.Length], device);

    /// <summary>Seeded uniform samples in [low, high).</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Random rng, Device? device = null)
    {
        var data = new float[Layout.Numel(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = low + (high - low) * (float)rng.NextDouble();
        }
        return FromArray(data, shape, device);
    }

    /// <summary>Seeded normal samples (Box-Muller).</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Random rng, Device? device = null)
    {
        var data = new float[Layout.Numel(shape)];
        for (int i = 0; i < data.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            data[i] = mean + std * (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < data.Length)
            {
                data[i + 1] = mean + std * (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }
        return FromArray(data, shape, device);
    }

    // ---- host access ---------------------------------------------------------------------

    /// <summary>Copies the elements, in row-major order, to a new host array.</summary>
    public float[] ToArray()
    {
        var result = new float[Numel];
        if (Numel == 0)
        {
            return result;
        }
        if (IsContiguous)
        {
            Backend.Download(Buffer, Offset, result);
            return result;
        }
        using (GradMode.NoGrad())
        {
            var c = Empty(_shape, Device);
            Backend.Copy(_shape, View, StridedView.Contiguous(c.Buffer, _shape));
            Backend.Download(c.Buffer, 0, result);
            if (TensorScope.Current is null)
            {
                c.Buffer.Dispose();
            }
        }
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Numel != 1)
        {
            throw new InvalidOperationException($"Item: tensor of shape {ShapeString} has {Numel} elements, not 1.");
        }
        return ToArray()[0];
    }

    /// <summary>
    /// Moves a contiguous leaf tensor's storage to <paramref name="device"/> in place, releasing the old
    /// buffer (used by <see cref="Nn.Module.To"/>; other tensors must not share the old buffer).
    /// </summary>
    internal void MoveStorage(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device == Device)
        {
            return;
        }
        if (!IsLeaf || !IsContiguous || Offset != 0)
        {
            throw new InvalidOperationException($"MoveStorage: only a contiguous leaf tensor at offset 0 can move its storage ({Name ?? ShapeString}).");
        }
        var host = ToArray();
        var moved = device.Backend.Allocate(Numel);
        device.Backend.Upload(host, moved, 0);
        var old = Buffer;
        Buffer = moved;
        old.Dispose();
    }

    /// <summary>A tensor sharing this one's memory that does not require a gradient and records nothing.</summary>
    public Tensor Detach() => new(Buffer, _shape, _strides, Offset) { Name = Name };

    /// <summary>A contiguous copy on <paramref name="device"/> (itself if already there).</summary>
    public Tensor To(Device device)
    {
        if (device == Device)
        {
            return this;
        }
        var host = ToArray();
        var t = FromArray(host, _shape, device);
        t.Name = Name;
        return t;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeString);
        if (Buffer.IsDisposed)
        {
            return sb.Append(" (released)").ToString();
        }
        var data = ToArray();
        sb.Append(" [");
        for (int i = 0; i < Math.Min(data.Length, 16); i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(data[i].ToString("G5", CultureInfo.InvariantCulture));
        }
        if (data.Length > 16)
        {
            sb.Append(", ...");
        }
        return sb.Append(']').ToString();
    }

    // ---- the tape ------------------------------------------------------------------------

    /// <summary>
    /// Records <paramref name="result"/> as produced by <paramref name="op"/> from <paramref name="inputs"/>
    /// when recording is on and any input requires a gradient; otherwise records nothing.
    /// </summary>
    internal static Tensor Record(string op, Tensor result, Tensor[] inputs, BackwardRule backward)
    {
        if (!GradMode.IsEnabled)
        {
            return result;
        }
        foreach (var input in inputs)
        {
            if (input._requiresGrad)
            {
                result.Node = new GradNode(op, inputs, backward);
                result._requiresGrad = true;
                return result;
            }
        }
        return result;
    }

    /// <summary>
    /// Backpropagates from this tensor (a scalar, or any shape with <paramref name="gradOutput"/>) and
    /// returns the gradients of every leaf that requires one.
    /// </summary>
    public Gradients Backward(Tensor? gradOutput = null)
    {
        if (!_requiresGrad)
        {
            throw new InvalidOperationException("Backward: this tensor does not require a gradient (no input of the computation requires one, or it was computed under NoGrad).");
        }
        if (gradOutput is null && Numel != 1)
        {
            throw new InvalidOperationException($"Backward: the output has shape {ShapeString}; pass gradOutput for a non-scalar output.");
        }
        if (gradOutput is not null && !gradOutput._shape.AsSpan().SequenceEqual(_shape))
        {
            throw new ArgumentException($"Backward: gradOutput shape {gradOutput.ShapeString} does not match output shape {ShapeString}.");
        }

        // Topological order of the recorded nodes (iterative DFS).
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child._requiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }

        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using (GradMode.NoGrad())
        {
            grads[this] = gradOutput ?? Full(_shape, 1f, Device);
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (t.Node is null || !grads.TryGetValue(t, out var g))
                {
                    continue;
                }
                var inputGrads = t.Node.Backward(g);
                for (int j = 0; j < t.Node.Inputs.Length; j++)
                {
                    var input = t.Node.Inputs[j];
                    var ig = j < inputGrads.Length ? inputGrads[j] : null;
                    if (ig is null || !input._requiresGrad)
                    {
                        continue;
                    }
                    ig = ig.SumToShape(input._shape);
                    grads[input] = grads.TryGetValue(input, out var existing) ? existing.Add(ig) : ig;
                }
                grads.Remove(t);
            }
        }
        var leaves = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (t, g) in grads)
        {
            if (t.Node is null && t._requiresGrad)
            {
                leaves[t] = g;
            }
        }
        return new Gradients(leaves);
    }
}
