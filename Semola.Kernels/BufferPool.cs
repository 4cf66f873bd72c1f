namespace Semola.Kernels;

/// <summary>
/// A backend's free allocations, keyed by their length (not thread-safe: the backend holds its lock
/// around every call). A request with no free allocation of its own size takes the shortest one at
/// most half as long again, so that a run's shorter last batch reuses the full batches' memory
/// instead of allocating its own; allocations are always kept under their real length.
/// </summary>
/// <typeparam name="T">The allocation type.</typeparam>
/// <param name="lengthOf">Length in elements of an allocation.</param>
/// <param name="maxElements">At most this many elements are kept free.</param>
internal sealed class BufferPool<T>(Func<T, int> lengthOf, long maxElements)
    where T : class
{
    private readonly Dictionary<int, Stack<T>> _free = new();
    private long _elements;

    /// <summary>A free allocation of at least <paramref name="size"/> elements (see the class), or null.</summary>
    public T? Take(int size)
    {
        if (!_free.TryGetValue(size, out var stack) || stack.Count == 0)
        {
            stack = Larger(size);
        }

        if (stack is null)
        {
            return null;
        }

        var item = stack.Pop();
        _elements -= lengthOf(item);
        return item;
    }

    /// <summary>Keeps <paramref name="item"/> for reuse; false (the caller frees it) when the pool is full.</summary>
    public bool Add(T item)
    {
        int size = lengthOf(item);
        if (_elements + size > maxElements)
        {
            return false;
        }

        if (!_free.TryGetValue(size, out var stack))
        {
            stack = new Stack<T>();
            _free[size] = stack;
        }

        stack.Push(item);
        _elements += size;
        return true;
    }

    /// <summary>Empties the pool; returns what it held.</summary>
    public List<T> Clear()
    {
        var all = _free.Values.SelectMany(s => s).ToList();
        _free.Clear();
        _elements = 0;
        return all;
    }

    private Stack<T>? Larger(int size)
    {
        long limit = size + (size / 2L);
        Stack<T>? best = null;
        int bestSize = int.MaxValue;
        foreach (var (pooledSize, stack) in _free)
        {
            if (pooledSize > size && pooledSize <= limit && pooledSize < bestSize && stack.Count > 0)
            {
                best = stack;
                bestSize = pooledSize;
            }
        }

        return best;
    }
}
