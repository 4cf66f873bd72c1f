using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class WorkQueueTests
{
    [Fact]
    public void EveryItemRunsOnceOnAWorkerInRange()
    {
        for (int round = 0; round < 200; round++)
        {
            int items = 1 + (round % 37);
            int workers = 1 + (round % 5);
            var counts = new int[items];
            var badWorker = 0;
            WorkQueue.Run(workers, items, (worker, i) =>
            {
                if (worker < 0 || worker >= Math.Min(workers, items))
                {
                    Interlocked.Increment(ref badWorker);
                }

                Interlocked.Increment(ref counts[i]);
            });
            Assert.All(counts, c => Assert.Equal(1, c));
            Assert.Equal(0, badWorker);
        }
    }

    [Fact]
    public void RegionsAfterAPauseStillComplete()
    {
        // The workers go to sleep after polling for a while; a region posted then must still finish.
        for (int round = 0; round < 3; round++)
        {
            Thread.Sleep(5 + WorkQueue.SpinMicroseconds / 1000);
            int sum = 0;
            WorkQueue.Run(Environment.ProcessorCount, 64, (_, i) => Interlocked.Add(ref sum, i));
            Assert.Equal(64 * 63 / 2, sum);
        }
    }

    [Fact]
    public async Task NestedAndConcurrentRegionsComplete()
    {
        long total = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int r = 0; r < 50; r++)
            {
                WorkQueue.Run(4, 6, (_, i) => WorkQueue.Run(3, 5, (_, j) => Interlocked.Add(ref total, 1)));
            }
        })).ToArray();
        await Task.WhenAll(callers);
        Assert.Equal(4L * 50 * 6 * 5, total);
    }

    [Fact]
    public void AnItemsExceptionReachesTheCallerAfterTheOthersRan()
    {
        int ran = 0;
        var error = Assert.Throws<AggregateException>(() => WorkQueue.Run(2, 40, (_, i) =>
        {
            Interlocked.Increment(ref ran);
            if (i == 3)
            {
                throw new InvalidOperationException("item 3");
            }
        }));
        Assert.Contains(error.Flatten().InnerExceptions, e => e.Message == "item 3");

        // The queue stays usable.
        int sum = 0;
        WorkQueue.Run(2, 10, (_, i) => Interlocked.Add(ref sum, i));
        Assert.Equal(45, sum);
    }

    [Fact]
    public void RangesCoverTheCountWithoutGapsOrOverlap()
    {
        foreach (var (count, chunks) in new[] { (10, 8), (3, 8), (1000, 7), (5, 1) })
        {
            var hits = new int[count];
            WorkQueue.RunRanges(2, count, chunks, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    Interlocked.Increment(ref hits[i]);
                }
            });
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }
}
