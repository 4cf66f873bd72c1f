using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Runs independent work items on a fixed number of workers that claim items one at a time, so
/// a worker that gets less CPU time (other load on the machine) simply processes fewer items.
/// <para>
/// The kernels' parallel regions are short (tens of microseconds to a few milliseconds) and come
/// back to back within a training step, so waking thread-pool threads for every region left the
/// calling thread working alone at the start of many of them. The workers here are dedicated
/// background threads, one fewer than the processors, that keep polling for the next region for
/// <see cref="SpinMicroseconds"/> after finishing one before they sleep (as OpenMP runtimes do): the
/// calling thread claims items at once, and a polling worker joins within a few hundred nanoseconds.
/// One region runs on them at a time; a region started while another runs (another thread's call,
/// or a call from inside a region) goes to the .NET thread pool as before. Results never depend on
/// which worker ran an item.
/// </para>
/// </summary>
internal static class WorkQueue
{
    /// <summary>How long an idle worker keeps polling for the next region before it sleeps.</summary>
    public const int SpinMicroseconds = 200;

    /// <summary>Calls body(worker, item) once for every item in [0, items), using up to <paramref name="workers"/> threads.</summary>
    /// <exception cref="AggregateException">An item threw; the other items still ran.</exception>
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

        if (ForkJoin.TryRun(workers, items, body))
        {
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

    /// <summary>Calls body(start, end) over <paramref name="chunks"/> contiguous, near-equal ranges covering [0, count).</summary>
    public static void RunRanges(int workers, int count, int chunks, Action<int, int> body)
    {
        chunks = Math.Max(1, Math.Min(chunks, count));
        Run(workers, chunks, (_, c) => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    private static class ForkJoin
    {
        private sealed class Job(Action<int, int> body, int items, int workers)
        {
            public readonly Action<int, int> Body = body;
            public readonly int Items = items;
            public readonly int Workers = workers;
            public int Next = -1;
            public int Done;
            public Exception? Error;
        }

        private sealed class Worker
        {
            public readonly ManualResetEventSlim Wake = new(false);
            public volatile bool Sleeping;
        }

        private static readonly int s_threads = Math.Max(0, Environment.ProcessorCount - 1);
        private static readonly long s_spinTicks = SpinMicroseconds * Stopwatch.Frequency / 1_000_000;
        private static readonly object s_startLock = new();
        private static Worker[]? s_workers;
        private static Job? s_job;
        private static int s_generation;
        private static int s_busy;
        [ThreadStatic] private static bool t_inRegion;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static bool TryRun(int workers, int items, Action<int, int> body)
        {
            if (s_threads == 0 || t_inRegion || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
            {
                return false;
            }

            try
            {
                var pool = s_workers ?? Start();
                var job = new Job(body, items, Math.Min(workers, s_threads + 1));
                Volatile.Write(ref s_job, job);
                Interlocked.Increment(ref s_generation);
                for (int k = 0; k < job.Workers - 1; k++)
                {
                    if (pool[k].Sleeping)
                    {
                        pool[k].Wake.Set();
                    }
                }

                Work(job, 0);
                var wait = default(SpinWait);
                while (Volatile.Read(ref job.Done) < items)
                {
                    wait.SpinOnce(-1);
                }

                Volatile.Write(ref s_job, null);
                if (job.Error is { } error)
                {
                    throw new AggregateException(error);
                }

                return true;
            }
            finally
            {
                Volatile.Write(ref s_busy, 0);
            }
        }

        private static Worker[] Start()
        {
            lock (s_startLock)
            {
                if (s_workers is { } started)
                {
                    return started;
                }

                var pool = new Worker[s_threads];
                for (int k = 0; k < pool.Length; k++)
                {
                    pool[k] = new Worker();
                    int index = k + 1;
                    var thread = new Thread(() => Loop(pool[index - 1], index))
                    {
                        IsBackground = true,
                        Name = $"Semola worker {index}",
                    };
                    thread.Start();
                }

                s_workers = pool;
                return pool;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Work(Job job, int worker)
        {
            t_inRegion = true;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref job.Next)) < job.Items)
                {
                    try
                    {
                        if (Volatile.Read(ref job.Error) is null)
                        {
                            job.Body(worker, i);
                        }
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref job.Error, ex, null);
                    }

                    Interlocked.Increment(ref job.Done);
                }
            }
            finally
            {
                t_inRegion = false;
            }
        }

        // A worker: poll for a new region for a while, then sleep until one is posted. The flag and the
        // generation are each written before the other is read (full fences on both sides), so a
        // region posted while the worker is going to sleep is never missed.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Loop(Worker me, int index)
        {
            int seen = Volatile.Read(ref s_generation);
            while (true)
            {
                int generation = Volatile.Read(ref s_generation);
                if (generation == seen)
                {
                    long start = Stopwatch.GetTimestamp();
                    while ((generation = Volatile.Read(ref s_generation)) == seen && Stopwatch.GetTimestamp() - start < s_spinTicks)
                    {
                        Thread.SpinWait(20);
                    }

                    if (generation == seen)
                    {
                        me.Wake.Reset();
                        me.Sleeping = true;
                        Interlocked.MemoryBarrier();
                        if (Volatile.Read(ref s_generation) == seen)
                        {
                            me.Wake.Wait();
                        }

                        me.Sleeping = false;
                        continue;
                    }
                }

                seen = generation;
                if (Volatile.Read(ref s_job) is { } job && index < job.Workers)
                {
                    Work(job, index);
                }
            }
        }
    }
}
