using Semola.Kernels;

namespace Semola.Autodiff;

/// <summary>
/// Frees, deterministically, every buffer allocated on this thread while the scope is open (a
/// training step's activations and gradients), except those of tensors passed to <see cref="Keep"/>.
/// Scopes nest: a kept tensor moves to the enclosing scope (or to no scope, living until collected).
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? _current;

    private readonly TensorScope? _parent;
    private readonly HashSet<DeviceBuffer> _buffers = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    /// <summary>Opens a scope on this thread.</summary>
    public TensorScope()
    {
        _parent = _current;
        _current = this;
    }

    /// <summary>The innermost open scope on this thread, if any.</summary>
    public static TensorScope? Current => _current;

    /// <summary>Number of buffers this scope will free.</summary>
    public int Count => _buffers.Count;

    internal static void Register(DeviceBuffer buffer) => _current?._buffers.Add(buffer);

    /// <summary>Keeps <paramref name="tensor"/>'s memory alive past this scope; returns the tensor.</summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_buffers.Remove(tensor.Buffer))
        {
            _parent?._buffers.Add(tensor.Buffer);
        }
        return tensor;
    }

    /// <summary>
    /// Until the returned handle is disposed, allocations on this thread belong to no scope: for
    /// long-lived tensors (parameters, running statistics, optimizer state) created while a step's
    /// scope is open. Scopes opened inside the block still work as usual.
    /// </summary>
    public static IDisposable Suspend()
    {
        var saved = _current;
        _current = null;
        return new Resume(saved);
    }

    private sealed class Resume(TensorScope? saved) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                _current = saved;
            }
        }
    }

    /// <summary>Frees every registered buffer.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_current != this)
        {
            throw new InvalidOperationException("Tensor scopes must be disposed in the reverse order of creation, on the thread that opened them.");
        }
        _current = _parent;
        foreach (var b in _buffers)
        {
            b.Dispose();
        }
        _buffers.Clear();
    }
}
