using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    internal static void CheckSameDevice(string op, Tensor a, Tensor b)
    {
        if (a.Device != b.Device)
        {
            throw new ArgumentException($"{op}: tensors {a.ShapeString} on '{a.Device}' and {b.ShapeString} on '{b.Device}' are on different devices; move one with To(device).");
        }
    }

    internal Tensor UnaryRaw(UnaryOp op, float p0 = 0f, float p1 = 0f)
    {
        var y = Empty(_shape, Device);
        Backend.Unary(op, p0, p1, _shape, View, y.Buffer);
        return y;
    }

    internal static Tensor BinaryRaw(string name, BinaryOp op, Tensor a, Tensor b, float p0 = 0f, float p1 = 0f)
    {
        CheckSameDevice(name, a, b);
        int[] shape = Broadcast.Shapes(name, a._shape, b._shape);
        var y = Empty(shape, a.Device);
        var va = new StridedView(a.Buffer, a.Offset, Broadcast.Strides(a._shape, a._strides, shape));
        var vb = new StridedView(b.Buffer, b.Offset, Broadcast.Strides(b._shape, b._strides, shape));
        a.Backend.Binary(op, p0, p1, shape, va, vb, y.Buffer);
        return y;
    }

    private Tensor UnaryWithRule(string name, UnaryOp op, float p0, float p1, Func<Tensor, Tensor, Tensor> rule)
    {
        var y = UnaryRaw(op, p0, p1);
        return Record(name, y, [this], g => [rule(g, y)]);
    }

    // ---- binary --------------------------------------------------------------------------

    /// <summary>Elementwise a + b with broadcasting.</summary>
    public Tensor Add(Tensor other)
    {
        var y = BinaryRaw(nameof(Add), BinaryOp.Add, this, other);
        return Record(nameof(Add), y, [this, other], g => [g, g]);
    }

    /// <summary>Elementwise a - b with broadcasting.</summary>
    public Tensor Sub(Tensor other)
    {
        var y = BinaryRaw(nameof(Sub), BinaryOp.Sub, this, other);
        return Record(nameof(Sub), y, [this, other], g => [g, other._requiresGrad ? g.Neg() : null]);
    }

    /// <summary>Elementwise a * b with broadcasting.</summary>
    public Tensor Mul(Tensor other)
    {
        var y = BinaryRaw(nameof(Mul), BinaryOp.Mul, this, other);
        return Record(nameof(Mul), y, [this, other], g => [_requiresGrad ? g.Mul(other) : null, other._requiresGrad ? g.Mul(this) : null]);
    }

    /// <summary>Elementwise a / b with broadcasting.</summary>
    public Tensor Div(Tensor other)
    {
        var y = BinaryRaw(nameof(Div), BinaryOp.Div, this, other);
        return Record(nameof(Div), y, [this, other], g =>
            [_requiresGrad ? g.Div(other) : null, other._requiresGrad ? g.Mul(y).Div(other).Neg() : null]);
    }

    /// <summary>Elementwise minimum with broadcasting (ties send the gradient to the first input).</summary>
    public Tensor Minimum(Tensor other)
    {
        var y = BinaryRaw(nameof(Minimum), BinaryOp.Min, this, other);
        return Record(nameof(Minimum), y, [this, other], g =>
        {
            var mask = BinaryRaw(nameof(Minimum), BinaryOp.GreaterEqual, other, this); // 1 where this <= other
            return [_requiresGrad ? g.Mul(mask) : null, other._requiresGrad ? g.Mul(mask.UnaryRaw(UnaryOp.Neg).UnaryRaw(UnaryOp.AddScalar, 1f)) : null];
        });
    }

    /// <summary>Elementwise maximum with broadcasting (ties send the gradient to the first input).</summary>
    public Tensor Maximum(Tensor other)
    {
        var y = BinaryRaw(nameof(Maximum), BinaryOp.Max, this, other);
        return Record(nameof(Maximum), y, [this, other], g =>
        {
            var mask = BinaryRaw(nameof(Maximum), BinaryOp.GreaterEqual, this, other); // 1 where this >= other
            return [_requiresGrad ? g.Mul(mask) : null, other._requiresGrad ? g.Mul(mask.UnaryRaw(UnaryOp.Neg).UnaryRaw(UnaryOp.AddScalar, 1f)) : null];
        });
    }

    /// <summary>1 where a &gt; b, else 0 (not differentiable).</summary>
    public Tensor Greater(Tensor other) => BinaryRaw(nameof(Greater), BinaryOp.Greater, this, other);

    // ---- with a scalar -------------------------------------------------------------------

    /// <summary>x + c.</summary>
    public Tensor Add(float c) => UnaryWithRule(nameof(Add), UnaryOp.AddScalar, c, 0f, (g, _) => g);

    /// <summary>x * c.</summary>
    public Tensor Mul(float c) => UnaryWithRule(nameof(Mul), UnaryOp.MulScalar, c, 0f, (g, _) => g.Mul(c));

    /// <summary>c / x.</summary>
    public Tensor ScalarDiv(float c) => UnaryWithRule(nameof(ScalarDiv), UnaryOp.ScalarDiv, c, 0f, (g, y) => g.Mul(y).Mul(y).Mul(-1f / c));

    // ---- unary ---------------------------------------------------------------------------

    /// <summary>-x.</summary>
    public Tensor Neg() => UnaryWithRule(nameof(Neg), UnaryOp.Neg, 0f, 0f, (g, _) => g.Neg());

    /// <summary>exp(x).</summary>
    public Tensor Exp() => UnaryWithRule(nameof(Exp), UnaryOp.Exp, 0f, 0f, (g, y) => g.Mul(y));

    /// <summary>ln(x).</summary>
    public Tensor Log() => UnaryWithRule(nameof(Log), UnaryOp.Log, 0f, 0f, (g, _) => g.Div(this));

    /// <summary>sqrt(x).</summary>
    public Tensor Sqrt() => UnaryWithRule(nameof(Sqrt), UnaryOp.Sqrt, 0f, 0f, (g, y) => BinaryRaw(nameof(Sqrt), BinaryOp.SqrtBackward, y, g));

    /// <summary>x * x.</summary>
    public Tensor Square() => UnaryWithRule(nameof(Square), UnaryOp.Square, 0f, 0f, (g, _) => BinaryRaw(nameof(Square), BinaryOp.PowBackward, this, g, 2f));

    /// <summary>x ^ p for a constant exponent.</summary>
    public Tensor Pow(float p) => UnaryWithRule(nameof(Pow), UnaryOp.Pow, p, 0f, (g, _) => BinaryRaw(nameof(Pow), BinaryOp.PowBackward, this, g, p));

    /// <summary>|x| (gradient sign(x), 0 at 0).</summary>
    public Tensor Abs() => UnaryWithRule(nameof(Abs), UnaryOp.Abs, 0f, 0f, (g, _) => BinaryRaw(nameof(Abs), BinaryOp.AbsBackward, this, g));

    /// <summary>sign(x) in {-1, 0, 1} (gradient zero).</summary>
    public Tensor Sign() => UnaryRaw(UnaryOp.Sign);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => UnaryWithRule(nameof(Relu), UnaryOp.Relu, 0f, 0f, (g, _) => BinaryRaw(nameof(Relu), BinaryOp.ReluBackward, this, g));

    /// <summary>x if x &gt; 0 else slope * x.</summary>
    public Tensor LeakyRelu(float slope = 0.01f) =>
        UnaryWithRule(nameof(LeakyRelu), UnaryOp.LeakyRelu, slope, 0f, (g, _) => BinaryRaw(nameof(LeakyRelu), BinaryOp.LeakyReluBackward, this, g, slope));

    /// <summary>1 / (1 + exp(-x)).</summary>
    public Tensor Sigmoid() => UnaryWithRule(nameof(Sigmoid), UnaryOp.Sigmoid, 0f, 0f, (g, y) => BinaryRaw(nameof(Sigmoid), BinaryOp.SigmoidBackward, y, g));

    /// <summary>tanh(x).</summary>
    public Tensor Tanh() => UnaryWithRule(nameof(Tanh), UnaryOp.Tanh, 0f, 0f, (g, y) => BinaryRaw(nameof(Tanh), BinaryOp.TanhBackward, y, g));

    /// <summary>ln(1 + exp(x)), stable for large |x|.</summary>
    public Tensor Softplus() => UnaryWithRule(nameof(Softplus), UnaryOp.Softplus, 0f, 0f, (g, _) => BinaryRaw(nameof(Softplus), BinaryOp.SoftplusBackward, this, g));

    /// <summary>min(max(x, min), max) (gradient passes inside [min, max]).</summary>
    public Tensor Clamp(float min, float max)
    {
        if (min > max)
        {
            throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        }
        return UnaryWithRule(nameof(Clamp), UnaryOp.Clamp, min, max, (g, _) => BinaryRaw(nameof(Clamp), BinaryOp.ClampBackward, this, g, min, max));
    }

    /// <summary>A contiguous copy (itself when already contiguous); gradients pass through.</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous)
        {
            return this;
        }
        var y = UnaryRaw(UnaryOp.Identity);
        return Record(nameof(Contiguous), y, [this], g => [g]);
    }

    // ---- operators -----------------------------------------------------------------------

    /// <summary>Elementwise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Elementwise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>Elementwise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>Elementwise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float c) => a.Add(c);

    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(float c, Tensor a) => a.Add(c);

    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float c) => a.Add(-c);

    /// <summary>A constant minus a tensor.</summary>
    public static Tensor operator -(float c, Tensor a) => a.Neg().Add(c);

    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(Tensor a, float c) => a.Mul(c);

    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(float c, Tensor a) => a.Mul(c);

    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float c) => a.Mul(1f / c);

    /// <summary>A constant divided by a tensor.</summary>
    public static Tensor operator /(float c, Tensor a) => a.ScalarDiv(c);
}
