namespace Semola.Kernels;

/// <summary>What the backends' buffer pools (free allocations keyed by their length) share.</summary>
internal static class BufferPool
{
    /// <summary>
    /// The free allocations of the smallest length above <paramref name="size"/> and at most half as
    /// long again, or null: a request with no free allocation of its own size takes one of these, so
    /// that a run's shorter last batch reuses the full batches' memory instead of allocating its own.
    /// </summary>
    public static Stack<T>? Larger<T>(Dictionary<int, Stack<T>> pool, int size)
    {
        long limit = size + (size / 2L);
        Stack<T>? best = null;
        int bestSize = int.MaxValue;
        foreach (var (pooledSize, stack) in pool)
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
