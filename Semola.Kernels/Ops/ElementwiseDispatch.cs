namespace Semola.Kernels.Ops;

/// <summary>
/// The one place that maps each <see cref="UnaryOp"/> and <see cref="BinaryOp"/> (with its parameters
/// p0, p1) to its op struct. Every backend's Unary and Binary call these with a visitor struct, so a new
/// op added here runs on every backend.
/// </summary>
public static class ElementwiseDispatch
{
    /// <summary>Calls <paramref name="visitor"/> with the op struct of <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An op with no struct here.</exception>
    public static void Unary<TVisitor>(UnaryOp op, float p0, float p1, ref TVisitor visitor)
        where TVisitor : struct, IUnaryOpVisitor
    {
        switch (op)
        {
            case UnaryOp.Identity: visitor.Vector(default(IdentityOp)); break;
            case UnaryOp.Neg: visitor.Vector(default(NegOp)); break;
            case UnaryOp.Exp: visitor.Vector(default(ExpOp)); break;
            case UnaryOp.Log: visitor.Vector(default(LogOp)); break;
            case UnaryOp.Sqrt: visitor.Vector(default(SqrtOp)); break;
            case UnaryOp.Abs: visitor.Vector(default(AbsOp)); break;
            case UnaryOp.Sign: visitor.Scalar(default(SignOp)); break;
            case UnaryOp.Relu: visitor.Vector(default(ReluOp)); break;
            case UnaryOp.LeakyRelu: visitor.Vector(new LeakyReluOp { Slope = p0 }); break;
            case UnaryOp.Sigmoid: visitor.Vector(default(SigmoidOp)); break;
            case UnaryOp.Tanh: visitor.Scalar(default(TanhOp)); break;
            case UnaryOp.Softplus: visitor.Vector(default(SoftplusOp)); break;
            case UnaryOp.Pow: visitor.Scalar(new PowOp { Exponent = p0 }); break;
            case UnaryOp.Clamp: visitor.Vector(new ClampOp { Min = p0, Max = p1 }); break;
            case UnaryOp.AddScalar: visitor.Vector(new AddScalarOp { Value = p0 }); break;
            case UnaryOp.MulScalar: visitor.Vector(new MulScalarOp { Value = p0 }); break;
            case UnaryOp.ScalarDiv: visitor.Vector(new ScalarDivOp { Value = p0 }); break;
            case UnaryOp.Square: visitor.Vector(default(SquareOp)); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <summary>Calls <paramref name="visitor"/> with the op struct of <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An op with no struct here.</exception>
    public static void Binary<TVisitor>(BinaryOp op, float p0, float p1, ref TVisitor visitor)
        where TVisitor : struct, IBinaryOpVisitor
    {
        switch (op)
        {
            case BinaryOp.Add: visitor.Vector(default(AddOp)); break;
            case BinaryOp.Sub: visitor.Vector(default(SubOp)); break;
            case BinaryOp.Mul: visitor.Vector(default(MulOp)); break;
            case BinaryOp.Div: visitor.Vector(default(DivOp)); break;
            case BinaryOp.Min: visitor.Vector(default(MinOp)); break;
            case BinaryOp.Max: visitor.Vector(default(MaxOp)); break;
            case BinaryOp.Greater: visitor.Scalar(default(GreaterOp)); break;
            case BinaryOp.GreaterEqual: visitor.Scalar(default(GreaterEqualOp)); break;
            case BinaryOp.ReluBackward: visitor.Vector(default(ReluBackwardOp)); break;
            case BinaryOp.LeakyReluBackward: visitor.Vector(new LeakyReluBackwardOp { Slope = p0 }); break;
            case BinaryOp.SigmoidBackward: visitor.Vector(default(SigmoidBackwardOp)); break;
            case BinaryOp.TanhBackward: visitor.Vector(default(TanhBackwardOp)); break;
            case BinaryOp.SoftplusBackward: visitor.Vector(default(SoftplusBackwardOp)); break;
            case BinaryOp.AbsBackward: visitor.Scalar(default(AbsBackwardOp)); break;
            case BinaryOp.SqrtBackward: visitor.Vector(default(SqrtBackwardOp)); break;
            case BinaryOp.PowBackward: visitor.Scalar(new PowBackwardOp { Exponent = p0 }); break;
            case BinaryOp.ClampBackward: visitor.Scalar(new ClampBackwardOp { Min = p0, Max = p1 }); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }
}
