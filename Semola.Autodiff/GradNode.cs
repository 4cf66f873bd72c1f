namespace Semola.Autodiff;

/// <summary>
/// The backward rule of one recorded op: given the gradient of the op's output, returns one gradient
/// per input (null where the input needs none). Gradients may have the broadcast output shape: the
/// tape reduces them to each input's shape in one place.
/// </summary>
public delegate Tensor?[] BackwardRule(Tensor gradOutput);

/// <summary>One recorded operation on the tape.</summary>
internal sealed class GradNode
{
    public GradNode(string op, Tensor[] inputs, BackwardRule backward)
    {
        Op = op;
        Inputs = inputs;
        Backward = backward;
    }

    public string Op { get; }

    public Tensor[] Inputs { get; }

    public BackwardRule Backward { get; }
}
