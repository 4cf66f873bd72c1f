namespace Semola.Kernels.Cpu;

/// <summary>
/// Runs independent work items on a fixed number of workers that claim items one at a time, so
/// a worker that gets less CPU time (other load on the machine) simply processes fewer items.
/// </summary>
internal static class WorkQueue
{
    /// <summary>Calls body(worker, item) once for every item in [0, items), using up to <paramref name="workers"/> threads.</summary>
    public static void Run(int workers, int items, Action<int, int> body)
    {
        workers = Math.Min(workers, items);
        if (workers <= 1)
        {
            for (int i = 0; i < items; i++)
            {
                body(0, i);
            }

            return;
        }

        var next = new int[] { -1 };
        Parallel.For(0, workers, worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next[0])) < items)
            {
                body(worker, i);
            }
        });
    }
}
