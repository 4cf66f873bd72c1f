using Semola.Kernels;

namespace Semola.Autodiff.Nn;

/// <summary>
/// A layer or a network: named, ordered parameters (leaf tensors that require gradients), named
/// buffers (state that is saved but not trained, such as running statistics) and child modules,
/// with a training/evaluation mode. Names of nested members are dotted paths ("conv1.weight").
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>True in training mode (the default), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode (or evaluation mode when <paramref name="mode"/> is false) here and in every child.</summary>
    public Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var child in _children)
        {
            child.Value.Train(mode);
        }
        return this;
    }

    /// <summary>Sets evaluation mode here and in every child.</summary>
    public Module Eval() => Train(false);

    /// <summary>Direct children, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>Every parameter of this module and its descendants, in order, with dotted names.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        Collect(string.Empty, m => m._parameters, result);
        return result;
    }

    /// <summary>Every buffer of this module and its descendants, in order, with dotted names.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedBuffers()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        Collect(string.Empty, m => m._buffers, result);
        return result;
    }

    /// <summary>
    /// Moves every parameter and buffer of this module and its descendants to <paramref name="device"/>
    /// in place (values are copied; the old storage is released). Returns this module.
    /// </summary>
    public Module To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers()))
        {
            t.MoveStorage(device);
        }
        return this;
    }

    /// <summary>Every parameter of this module and its descendants, in order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToArray();

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Numel);

    private void Collect(string prefix, Func<Module, List<KeyValuePair<string, Tensor>>> select, List<KeyValuePair<string, Tensor>> into)
    {
        foreach (var (name, t) in select(this))
        {
            into.Add(new(prefix + name, t));
        }
        foreach (var (name, child) in _children)
        {
            child.Collect(prefix + name + ".", select, into);
        }
    }

    /// <summary>
    /// Registers a trainable parameter: marks it as requiring a gradient and names it. Create it
    /// outside any tensor scope (see <see cref="Init"/> and <see cref="TensorScope.Suspend"/>).
    /// </summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor, not the result of a recorded op.");
        }
        parameter.RequiresGrad = true;
        parameter.Name ??= name;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a buffer: state saved in checkpoints but not trained (e.g. running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name);
        buffer.Name ??= name;
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module whose members are named "<paramref name="name"/>.member".</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException($"Module '{name}' cannot be its own child.");
        }
        module.Train(IsTraining);
        _children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
        {
            throw new ArgumentException($"Member name '{name}' must be non-empty and contain no '.'.");
        }
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'.");
        }
    }

    /// <summary>A short description of the module (its type name by default).</summary>
    public override string ToString() => GetType().Name;
}
